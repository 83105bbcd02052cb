"""Functions that must be importable by worker processes."""

import numpy as np


def gaussian(p):
    return float(np.exp(-(p[0] ** 2)) * np.exp(-(p[1] ** 2)))


def gaussian_gradient(p):
    return -2 * np.asarray(p) * np.exp(-(p[0] ** 2) - p[1] ** 2)
