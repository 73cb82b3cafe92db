import pytest

from areas.tests.builders import YEAR


@pytest.fixture(autouse=True)
def _fixed_today(request):
    """Pin today to 25/11/2026 (inside the 2026 period, before the 20/12 report) for every
    test except browser tests, whose live server runs in another thread."""
    if "browser" in request.keywords:
        yield
        return
    import time_machine

    with time_machine.travel(f"{YEAR}-11-25 09:00:00+07:00", tick=True):
        yield
