"""Shared pytest configuration.

Fuzz run size (tests/test_fuzz_*.py): the normal suite runs a few hundred
inputs per fuzz target (hypothesis profile "ci"). The full run takes
`--fuzz-full` (100,000 inputs per target), `--fuzz-examples N`, or the
environment variable FACTBOT_FUZZ_EXAMPLES=N, and uses the "full" profile:

    FACTBOT_FUZZ_EXAMPLES=100000 make test
    .venv/bin/python -m pytest tests/test_fuzz_importer.py --fuzz-full --hypothesis-show-statistics

The profiles apply to the fuzz tests only; other property tests keep their
own settings.
"""
from __future__ import annotations

import pytest

from tests import fuzz_strategies


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("factbot fuzz")
    group.addoption("--fuzz-full", action="store_true", default=False,
                    help=f"run the fuzz tests at full size ({fuzz_strategies.FULL_DEFAULT:,} inputs per target)")
    group.addoption("--fuzz-examples", type=int, default=None, metavar="N",
                    help=f"inputs per fuzz target (overrides --fuzz-full and {fuzz_strategies.ENV_EXAMPLES})")


def pytest_configure(config: pytest.Config) -> None:
    examples = config.getoption("--fuzz-examples")
    if examples is None:
        examples = fuzz_strategies.FULL_DEFAULT if config.getoption("--fuzz-full") else fuzz_strategies.env_examples()
    profile = fuzz_strategies.register_profiles(examples)
    config.addinivalue_line("markers", "fuzz: generated-input robustness tests (size set by --fuzz-full)")
    config.addinivalue_line("markers", "faults: fault-injection tests (servers, locks, kills)")
    config._factbot_fuzz = (profile, examples)  # type: ignore[attr-defined]


def pytest_report_header(config: pytest.Config) -> str:
    profile, examples = getattr(config, "_factbot_fuzz", ("ci", 0))
    if profile == "full":
        return f"factbot fuzz: profile 'full', {examples:,} inputs per target"
    return "factbot fuzz: profile 'ci' (FACTBOT_FUZZ_EXAMPLES=100000 or --fuzz-full for the full run)"


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if fuzz_strategies.TALLY:
        terminalreporter.section("factbot fuzz: inputs run per test (shrinking and replays included)")
        for name, n in sorted(fuzz_strategies.TALLY.items()):
            terminalreporter.write_line(f"{name:32} {n:>9,}")
