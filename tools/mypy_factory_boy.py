"""A mypy plugin: calling a factory_boy factory returns the model it builds.

factory_boy types `PupilFactory.create()` as the model (its factories are generic), but the
everyday spelling `PupilFactory()` goes through an untyped metaclass `__call__`, so mypy would
think it returns the factory itself. Python's type system cannot say "calling this class returns
its type argument", hence this hook (docs/typing.md).
"""

from __future__ import annotations

from collections.abc import Callable

from mypy.maptype import map_instance_to_supertype
from mypy.nodes import TypeInfo
from mypy.plugin import FunctionContext, Plugin
from mypy.types import Instance, Type, get_proper_type

BASE_FACTORY = "factory.base.BaseFactory"


def _built_model(factory: TypeInfo) -> Callable[[FunctionContext], Type]:
    def hook(ctx: FunctionContext) -> Type:
        base = next(info for info in factory.mro if info.fullname == BASE_FACTORY)
        own = Instance(factory, [])  # our factories are concrete: Factory[Model], no type variables left
        model = map_instance_to_supertype(own, base).args
        built = get_proper_type(model[0]) if model else None
        return built if isinstance(built, Instance) else ctx.default_return_type

    return hook


class FactoryBoyPlugin(Plugin):
    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        symbol = self.lookup_fully_qualified(fullname)
        if symbol is not None and isinstance(symbol.node, TypeInfo) and symbol.node.has_base(BASE_FACTORY):
            return _built_model(symbol.node)
        return None


def plugin(version: str) -> type[Plugin]:
    return FactoryBoyPlugin
