"""Known minima and the step rules' iterates against closed forms and torch.optim."""

import numpy as np
import pytest

import gradkit as gk
from gradkit.paths import Adam, Armijo, HeavyBall, Nesterov

ROSENBROCK = "(1 - x)^2 + 100*(y - x^2)^2"
HIMMELBLAU = "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"


def quadratic(matrix, b):
    """f(x) = x.A.x / 2 - b.x with its exact gradient A x - b."""
    return (lambda x: 0.5 * x @ matrix @ x - b @ x), (lambda x: matrix @ x - b)


MATRIX = np.array([[3.0, 1.0, 0.0], [1.0, 2.0, 0.5], [0.0, 0.5, 1.0]])
B = np.array([1.0, -2.0, 0.5])
X0 = np.array([2.0, -1.0, 3.0])


def test_fixed_steps_on_a_quadratic_are_powers_of_the_iteration_matrix():
    f, jac = quadratic(MATRIX, B)
    r = gk.descend(f, X0, jac=jac, step=0.2, maxiter=25, gtol=0)
    solution = np.linalg.solve(MATRIX, B)
    iteration = np.eye(3) - 0.2 * MATRIX  # x_k - x* = (I - step A)^k (x0 - x*)
    expected = np.array([solution + np.linalg.matrix_power(iteration, k) @ (X0 - solution) for k in range(26)])
    np.testing.assert_allclose(r.points, expected, rtol=1e-12, atol=1e-12)
    assert r.nit == 25 and r.status == gk.paths.Status.MAXITER and not r.success


@pytest.mark.parametrize("rule", ["fixed", "armijo", "heavy-ball", "nesterov"])
def test_quadratic_minimum_is_reached_to_the_gradient_tolerance(rule):
    f, jac = quadratic(MATRIX, B)
    r = gk.descend(f, X0, jac=jac, rule=rule, step=0.3 if rule != "armijo" else 1.0, gtol=1e-10, maxiter=5000)
    assert r.success and r.status == 0
    solution = np.linalg.solve(MATRIX, B)
    # |x - x*| <= |grad f| / (smallest eigenvalue of A)
    assert np.linalg.norm(r.x - solution) <= 1e-10 / np.linalg.eigvalsh(MATRIX).min()
    np.testing.assert_allclose(r.jac, jac(r.x), atol=1e-15)
    assert r.fun == pytest.approx(f(r.x))


def torch_iterates(optimizer_factory, f, x0, steps):
    torch = pytest.importorskip("torch")
    p = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    optimizer = optimizer_factory([p])
    points = [p.detach().numpy().copy()]
    for _ in range(steps):
        optimizer.zero_grad()
        f(p).backward()
        optimizer.step()
        points.append(p.detach().numpy().copy())
    return np.array(points)


def torch_quadratic(p):
    import torch

    matrix, b = torch.tensor(MATRIX), torch.tensor(B)
    return 0.5 * p @ matrix @ p - b @ p


@pytest.mark.parametrize("momentum", [0.0, 0.5, 0.9])
def test_heavy_ball_matches_torch_sgd_with_momentum(momentum):
    import torch

    f, jac = quadratic(MATRIX, B)
    r = gk.descend(f, X0, jac=jac, rule=HeavyBall(step=0.1, momentum=momentum), maxiter=30, gtol=0)
    expected = torch_iterates(lambda p: torch.optim.SGD(p, lr=0.1, momentum=momentum), torch_quadratic, X0, 30)
    np.testing.assert_allclose(r.points, expected, rtol=1e-12, atol=1e-12)


def test_nesterov_look_ahead_points_match_torch_sgd_nesterov():
    import torch

    # torch keeps the look-ahead point y_k = x_k + momentum * v_k as its parameters (Sutskever et al.'s form
    # rewritten); x_k + momentum * (x_k - x_{k-1}) recovers it from the path.
    f, jac = quadratic(MATRIX, B)
    r = gk.descend(f, X0, jac=jac, rule=Nesterov(step=0.1, momentum=0.8), maxiter=30, gtol=0)
    expected = torch_iterates(
        lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.8, nesterov=True), torch_quadratic, X0, 30
    )
    ahead = r.points.copy()
    ahead[1:] += 0.8 * np.diff(r.points, axis=0)
    np.testing.assert_allclose(ahead, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("beta1", "beta2", "eps"), [(0.9, 0.999, 1e-8), (0.5, 0.9, 1e-3)])
def test_adam_matches_torch_adam(beta1, beta2, eps):
    import torch

    f, jac = quadratic(MATRIX, B)
    r = gk.descend(f, X0, jac=jac, rule=Adam(step=0.05, beta1=beta1, beta2=beta2, eps=eps), maxiter=40, gtol=0)
    expected = torch_iterates(
        lambda p: torch.optim.Adam(p, lr=0.05, betas=(beta1, beta2), eps=eps), torch_quadratic, X0, 40
    )
    np.testing.assert_allclose(r.points, expected, rtol=1e-11, atol=1e-12)


def test_rosenbrock_from_its_classic_start_reaches_one_one_with_the_line_search():
    r = gk.descend(ROSENBROCK, [-1.2, 1.0], rule="armijo", gtol=1e-6, maxiter=30_000)
    assert r.success and r.status == gk.paths.Status.GRADIENT
    # Near (1, 1) the Hessian's smallest eigenvalue is about 0.4: |x - x*| <= |grad f| / 0.39.
    assert np.linalg.norm(r.x - [1.0, 1.0]) <= 1e-6 / 0.39
    assert np.all(np.diff(r.values) < 0)  # every accepted step decreased f


def test_every_line_search_step_meets_armijo_and_is_the_largest_halving_that_does():
    f, jac = quadratic(MATRIX, B)
    r = gk.descend(f, X0, jac=jac, rule=Armijo(step=4.0, c=0.3), maxiter=12, gtol=0)  # f well above rounding
    for k in range(r.nit):
        g = jac(r.points[k])
        halvings = np.log2(4.0 * np.linalg.norm(g) / r.step_sizes[k])
        assert halvings == pytest.approx(round(halvings), abs=1e-6)  # t = 4 / 2^j
        t = 4.0 / 2 ** round(halvings)
        assert r.values[k + 1] <= r.values[k] - 0.3 * t * g @ g
        if t < 4.0:
            assert f(r.points[k] - 2 * t * g) > r.values[k] - 0.3 * 2 * t * g @ g


# Himmelblau's four minima (Himmelblau 1972, Applied Nonlinear Programming; f = 0 at each)
HIMMELBLAU_MINIMA = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]


@pytest.mark.parametrize(
    ("start", "minimum"), list(zip([(4.0, 4.0), (-2.0, 4.0), (-4.0, -4.0), (4.0, -2.0)], HIMMELBLAU_MINIMA))
)
def test_himmelblau_four_minima_from_four_starts(start, minimum):
    # |grad f| is about 100 at these starts: a first trial step of 0.01 moves about 1, into the start's basin.
    r = gk.descend(HIMMELBLAU, start, rule="armijo", step=0.01, gtol=1e-9, maxiter=5000)
    assert r.success
    np.testing.assert_allclose(r.x, minimum, atol=1e-6)
    assert abs(r.fun) < 1e-12


def test_momentum_is_faster_than_plain_steps_in_rosenbrocks_valley():
    heavy = gk.descend(ROSENBROCK, [-1.2, 1.0], rule="heavy-ball", step=1e-3, momentum=0.9, maxiter=5000)
    plain = gk.descend(ROSENBROCK, [-1.2, 1.0], step=1e-3, maxiter=heavy.nit)
    assert heavy.success and not plain.success  # plain steps need about ten times as many (32 076)
    assert plain.fun > 1e6 * heavy.fun
