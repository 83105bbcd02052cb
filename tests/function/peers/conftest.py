"""Known failures of the outside-oracle tests: test id -> what gradkit gets wrong there (observed against
expected), so that the suite stays green while each is fixed; strict, so a fix shows as XPASS and its entry
must go."""

from pathlib import Path

import pytest

HERE = Path(__file__).parent

# "test_file.py::test_name[parameters]": "issue 19: cause"
KNOWN: dict[str, str] = {}


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.path).parent != HERE:  # the hook sees the whole session's items
            continue
        reason = KNOWN.get(item.nodeid.rsplit("/", 1)[-1])
        if reason:
            item.add_marker(pytest.mark.xfail(strict=True, reason=reason))
