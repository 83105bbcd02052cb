"""Known failures of the outside-oracle tests: test id -> what gradkit gets wrong there (observed against
expected), so that the suite stays green while each is fixed; strict, so a fix shows as XPASS and its entry
must go."""

from pathlib import Path

import pytest

HERE = Path(__file__).parent

# "test_file.py::test_name[parameters]": "issue 19: cause"
KNOWN: dict[str, str] = {
    "test_numdifftools.py::test_high_order_derivative[sqrt-5-backward]": (
        "issue 19: the 5th derivative of sqrt at 0.5 with steps below x (bounds=(-inf, 0.5)) is 74.22274 (error "
        "1.10, success False) against 74.24621: off 0.0235, numdifftools' backward differences get 2 decimals (< 0.015)"
    ),
}


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.path).parent != HERE:  # the hook sees the whole session's items
            continue
        reason = KNOWN.get(item.nodeid.rsplit("/", 1)[-1])
        if reason:
            item.add_marker(pytest.mark.xfail(strict=True, reason=reason))
