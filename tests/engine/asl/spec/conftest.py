import pytest

from .helpers import Script


@pytest.fixture
def script():
    made = []

    def make(*entries):
        s = Script(*entries)
        made.append(s)
        return s
    yield make
    for s in made:
        s.close()
