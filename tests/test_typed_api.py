"""Every public function and class in vizgmm.__all__ has type hints (issue 21 #7); mypy checks them (test_architecture)."""

import inspect

import vizgmm


def _unhinted(func):
    """The parameters of ``func`` (and "return") that have no annotation, from its own code, not a __signature__."""
    code = func.__code__
    count = code.co_argcount + code.co_kwonlyargcount
    names = list(code.co_varnames[:count])
    if code.co_flags & inspect.CO_VARARGS:
        names.append(code.co_varnames[count])
        count += 1
    if code.co_flags & inspect.CO_VARKEYWORDS:
        names.append(code.co_varnames[count])
    hinted = func.__annotations__
    return [n for n in names if n not in ("self", "cls") and n not in hinted] + ([] if "return" in hinted else ["return"])


def _public_callables():
    for name in vizgmm.__all__:
        obj = getattr(vizgmm, name)
        if inspect.isclass(obj):
            if issubclass(obj, Exception):
                continue
            for attr, member in vars(obj).items():
                if attr.startswith("_") and attr != "__init__":
                    continue
                func = member.fget if isinstance(member, property) else getattr(member, "__func__", member)
                if inspect.isfunction(func):
                    yield f"{name}.{attr}", func
        elif inspect.isfunction(obj):
            yield name, obj


def test_every_public_function_and_method_has_type_hints():
    found = dict(_public_callables())
    assert {"fit", "render_gif", "History.save", "Restarts.describe"} <= set(found)
    missing = {name: gaps for name, func in found.items() if (gaps := _unhinted(func))}
    assert not missing, f"public API without type hints: {missing}"
