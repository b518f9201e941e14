"""Typer's value coercion without Pydantic for plain values (a number, a word, a path).

Why: Typer (0.29) turns every option's text into its type through a Pydantic
``TypeAdapter`` built per parameter on each run, options left at ``None`` included.
For ``minsheng access 2sfca`` that was 16 adapters and Pydantic's import, about a
quarter of a second of a one-second run. The command line is still defined once, by
Typer, and parsed by Click; only the conversion of a value changes, and only where the
result is beyond doubt:

- ``str`` given as ``str`` and ``bool`` as ``bool`` are themselves;
- ``float``/``int`` written as a plain decimal number (``3000``, ``-1.5e3``) are
  ``float(text)``/``int(text)``, which is what Pydantic returns for such text;
- a ``Path`` with no checks asked of it goes to Typer's own path checks as a ``Path``
  (Typer then skips its Pydantic step, nothing else).

Anything else (``nan``, ``1_000``, a choice, a list, a bound, a custom parser, a bad
value) is handed to Typer's own coercion, built on demand, so its values and error
messages are Typer's. With a Typer that lacks these internals nothing is changed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

try:  # Typer's internals (0.29); older or newer layouts simply keep Typer's own coercion
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_path
    from typer.core import _TyperParameter
except ImportError:  # pragma: no cover - depends on the installed Typer
    RuntimeParam = None  # type: ignore[assignment,misc]

_FLOAT = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_INT = re.compile(r"-?[1-9][0-9]{0,17}|0")
_UNSURE = object()


def _plain_path(info: Any) -> bool:  # noqa: ANN401 - typer.models.ParameterInfo
    return (
        info.path_type is None
        and not info.exists
        and not info.resolve_path
        and not info.allow_dash
        and info.file_okay
        and info.dir_okay
        and not info.writable
    )


def _light(annotation: Any, info: Any) -> bool:  # noqa: ANN401
    """Whether this parameter's values can be converted here (else Typer's adapter)."""
    if info.parser is not None or getattr(info, "click_type", None) is not None:
        return False
    if info.min is not None or info.max is not None:
        return False
    if annotation is Path:
        return _plain_path(info)
    return annotation in (str, float, int, bool)


def _convert(annotation: Any, value: Any) -> Any:  # noqa: ANN401
    """The value when certain, else ``_UNSURE``."""
    kind = type(value)
    if annotation is str or annotation is bool:
        return value if kind is annotation else _UNSURE
    if annotation is float:
        if kind is float:
            return value
        if kind is int:
            return float(value)
        return float(value) if kind is str and _FLOAT.fullmatch(value) else _UNSURE
    if annotation is int:
        if kind is int:
            return value
        return int(value) if kind is str and _INT.fullmatch(value) else _UNSURE
    return _UNSURE


if RuntimeParam is not None:

    class _PlainParam(RuntimeParam):
        """A plain value converted here; anything else by Typer's own runtime parameter."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:  # noqa: ANN401
            if self.annotation is Path and type(value) is str and value:
                return coerce_cli_path(
                    Path(value), self.parameter_info, path_type=Path, param=param, ctx=ctx
                )
            done = _convert(self.annotation, value)
            if done is not _UNSURE:
                return done
            typer_own = build_runtime_param(param.type_descriptor)
            param._runtime_param = typer_own  # later values go straight to Typer's
            return typer_own._coerce_value(value, param=param, ctx=ctx)


def lighten(command: Any, ctx: Any) -> None:  # noqa: ANN401 - a Click command and its context
    """Give every plain parameter of ``command`` and its sub-commands the light coercion.

    Each command's ``--help`` option is made here too (Click makes it once per command on
    first use): it is a flag whose unset value is ``None``, for which Typer would build
    an adapter. A command with help names of its own is left to make its option later.
    """
    if RuntimeParam is None:  # pragma: no cover - depends on the installed Typer
        return
    params = list(getattr(command, "params", ()))
    if "help_option_names" not in (getattr(command, "context_settings", None) or {}):
        helper = command.get_help_option(ctx)
        params += [helper] if helper is not None else []
    for param in params:
        desc = getattr(param, "type_descriptor", None)
        if not isinstance(param, _TyperParameter) or desc is None or param._runtime_param:
            continue
        if desc.file_annotation is None and _light(desc.annotation, desc.parameter_info):
            param._runtime_param = _PlainParam(
                parameter_info=desc.parameter_info, annotation=desc.annotation
            )
    for sub in getattr(command, "commands", {}).values():
        lighten(sub, ctx)
