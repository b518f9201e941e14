"""Settings with no MINSHENG_* variable (read without pydantic) equal the checked ones."""

from minsheng.settings import DEFAULTS, Settings


def _fields(s: Settings) -> dict:
    return {**vars(s), "limits": vars(s.limits)}


def test_no_variable_gives_what_the_checking_model_gives() -> None:
    plain = Settings.from_env({"HOME": "/nowhere", "XDG_DATA_HOME": "/data"})
    # one variable set to its own default sends the reading through the pydantic model
    checked = Settings.from_env({"XDG_DATA_HOME": "/data", "MINSHENG_MAX_NESTING": "200"})
    assert _fields(plain) == _fields(checked)
    assert plain.limits.max_file_bytes == int(DEFAULTS["max_file_mb"] * 1024 * 1024)


def test_an_unknown_variable_is_ignored_as_before() -> None:
    assert _fields(Settings.from_env({"MINSHENG_NOT_A_SETTING": "x"})) == _fields(
        Settings.from_env({})
    )
