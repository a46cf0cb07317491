"""The typed environment readers: defaults when unset, parsed values, loud failures."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from stepstudio.env import env_bool, env_float, env_int, env_list, env_secret, env_str, env_url


@pytest.mark.parametrize("raw, expected", [("1", True), ("TRUE", True), ("on", True),
                                           ("0", False), ("no", False), ("Off", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG") is expected


def test_unset_and_empty_mean_the_default(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)
    assert env_bool("FLAG", True) is True
    monkeypatch.setenv("FLAG", "  ")
    assert env_bool("FLAG", True) is True
    assert env_str("FLAG", "x") == "x"
    assert env_list("FLAG", ["a"]) == ["a"]


def test_env_int_checks_type_and_bounds(monkeypatch):
    monkeypatch.setenv("N", "12")
    assert env_int("N", minimum=1, maximum=20) == 12
    monkeypatch.setenv("N", "0")
    with pytest.raises(ImproperlyConfigured, match="N must be at least 1"):
        env_int("N", minimum=1)
    monkeypatch.setenv("N", "twelve")
    with pytest.raises(ImproperlyConfigured, match="N must be an integer"):
        env_int("N")


def test_env_float_checks_type_and_bounds(monkeypatch):
    monkeypatch.setenv("RATE", "0.25")
    assert env_float("RATE", 300.0, minimum=0.001) == 0.25
    monkeypatch.delenv("RATE")
    assert env_float("RATE", 300.0) == 300.0
    for bad in ("0", "nan", "fast"):
        monkeypatch.setenv("RATE", bad)
        with pytest.raises(ImproperlyConfigured, match="RATE must be a number"):
            env_float("RATE", 300.0, minimum=0.001)


def test_env_url_requires_one_of_the_schemes(monkeypatch):
    monkeypatch.setenv("U", "redis://h:1/0")
    assert env_url("U", schemes={"redis"}) == "redis://h:1/0"
    monkeypatch.setenv("U", "http://h/")
    with pytest.raises(ImproperlyConfigured, match="U must be a URL with scheme redis"):
        env_url("U", schemes={"redis"})


def test_env_secret_reads_a_file_and_refuses_both_sources(monkeypatch, tmp_path):
    secret = tmp_path / "s"
    secret.write_text("hunter2\n")
    monkeypatch.setenv("TOKEN_FILE", str(secret))
    assert env_secret("TOKEN") == "hunter2"
    monkeypatch.setenv("TOKEN", "inline")
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env_secret("TOKEN")
    monkeypatch.delenv("TOKEN")
    monkeypatch.setenv("TOKEN_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="cannot read"):
        env_secret("TOKEN")
