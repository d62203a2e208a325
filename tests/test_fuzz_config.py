"""Fuzz target 3: the bot.toml loader (`bot.config.load(path)`, `bot.config.validate(dict)`).

Inputs: random text and bytes as a file; TOML assembled from real and broken
lines (nan, inf, dates where strings belong, quoted keys with line breaks,
arrays of tables, dotted keys, unterminated strings); TOML written from
generated configuration dicts (every known key with values of its type at the
edges of validity, or of any type, plus unknown sections and keys); and
arbitrary Python dicts straight into `validate`.

Properties: the only exception is ConfigError with a one-line, non-empty
message; each call within CALL_BUDGET_S; an accepted configuration has every
key of the schema with a value of its declared type, within the bounds the
validator documents (no NaN), and builds the fetch limits the intake uses;
and a configuration round-trips: written as TOML and loaded back it equals
what `validate` made of the dict.
"""
from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from bot.config import SCHEMA, Config, ConfigError, load, validate
from bot.intake.fetch import FetchLimits
from tests import fuzz_strategies as fz

pytestmark = pytest.mark.fuzz

FLOAT_KEYS = [(section, key) for section, keys in SCHEMA.items() for key, (t, _) in keys.items()
              if isinstance(t, tuple) and float in t]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-config")


def _check_error(exc: ConfigError) -> None:
    fz.assert_one_line(str(exc), "ConfigError message")


def _check_config(config: Config) -> None:
    assert set(config.values) == set(SCHEMA)
    for section, keys in SCHEMA.items():
        assert set(config.values[section]) == set(keys), section
        for key, (expected, _) in keys.items():
            value = config.values[section][key]
            assert isinstance(value, expected) and (expected is bool or not isinstance(value, bool)), \
                (section, key, value)
    for section, key in FLOAT_KEYS:
        assert not math.isnan(config.values[section][key]), (section, key)
    fetch, review, discord = config.values["fetch"], config.values["review"], config.values["discord"]
    assert config.get("check", "max_claims") >= 1
    assert fetch["max_bytes"] >= 1 and fetch["timeout_seconds"] > 0 and fetch["cache_ttl_seconds"] >= 0
    assert 0 <= review["min_confidence"] <= 1 and review["newsroom"].strip()
    assert 1 <= discord["max_links"] <= 10 and discord["check_workers"] >= 1
    assert discord["command_cooldown_seconds"] >= 0
    assert config.values["autoscan"]["default_mode"] in ("off", "on", "quiet")
    assert all(config.values["autoscan"][k] >= 0 for k in
               ("user_cooldown_seconds", "channel_cooldown_seconds", "repeat_window_seconds"))
    try:
        limits = FetchLimits.from_config(config)  # what the intake builds from it
    except ConfigError as exc:
        _check_error(exc)
    else:
        assert limits.timeout_seconds > 0 and limits.max_bytes >= 1


@fz.fuzz_settings(ci=80, share=0.5)
@given(text=st.one_of(fz.toml_text, fz.toml_text, st.binary(max_size=200).map(lambda b: b)))
def test_load_accepts_or_names_the_problem_in_one_line(workdir, text):
    fz.tally("config/load")
    path = workdir / "bot.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        try:
            path.write_text(text, encoding="utf-8")
        except UnicodeEncodeError:
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
    note(f"bot.toml: {text!r}")
    try:
        with fz.within(what="config.load"):
            config = load(path)
    except ConfigError as exc:
        _check_error(exc)
        return
    _check_config(config)
    assert config.path == path


@fz.fuzz_settings(ci=60, share=0.3)
@given(raw=st.one_of(fz.config_dict(), fz.config_dict(valid_types=False),
                     st.dictionaries(st.one_of(st.sampled_from(list(SCHEMA)), fz.toml_key, st.integers()),
                                     st.one_of(fz.json_value, st.dictionaries(fz.toml_key, fz.json_value, max_size=3),
                                               st.sets(st.integers(), max_size=2), st.binary(max_size=4)),
                                     max_size=4)))
def test_validate_accepts_or_names_the_problem_in_one_line(raw):
    fz.tally("config/validate")
    note(f"raw={raw!r}")
    try:
        with fz.within(what="config.validate"):
            config = validate(raw)
    except ConfigError as exc:
        _check_error(exc)
        return
    _check_config(config)


@fz.fuzz_settings(ci=50, share=0.2)
@given(raw=fz.config_dict().filter(fz.toml_representable))
def test_a_valid_configuration_round_trips_through_toml(workdir, raw):
    fz.tally("config/TOML round trip")
    try:
        expected = validate(raw)
    except ConfigError:
        return
    path = workdir / "roundtrip.toml"
    path.write_text(fz.to_toml(raw), encoding="utf-8")
    note(path.read_text(encoding="utf-8"))
    with fz.within(what="config.load"):
        loaded = load(path)

    def same(a, b):
        if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
            return True
        return type(a) is type(b) and a == b

    for section in SCHEMA:
        for key in SCHEMA[section]:
            assert same(loaded.values[section][key], expected.values[section][key]), (section, key)


# -- found by this target, fixed: kept as regression tests -------------------------------------


@pytest.mark.parametrize("section, key", [("fetch", "timeout_seconds"), ("discord", "command_cooldown_seconds"),
                                          ("autoscan", "user_cooldown_seconds"),
                                          ("autoscan", "channel_cooldown_seconds")])
def test_nan_is_refused(workdir, section, key):
    path = workdir / "nan.toml"
    path.write_text(f"[{section}]\n{key} = nan\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load(path)
    fz.assert_one_line(str(caught.value))


@pytest.mark.parametrize("text", ['[fetch]\n"max\\nbytes" = 1\n', '["fet\\nch"]\nx = 1\n'], ids=["key", "section"])
def test_unknown_key_with_line_break_is_one_line(workdir, text):
    path = workdir / "key.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load(path)
    fz.assert_one_line(str(caught.value))
