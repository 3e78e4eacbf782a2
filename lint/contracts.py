"""A custom import-linter contract: names inside external packages that only a few modules may use.

import-linter squashes an external package to its top-level name, so a stock `forbidden` contract can forbid
`wagtail` or `guardian` as a whole but not `wagtail.models.PageViewRestriction` or `guardian.shortcuts`.
grimp's import details give only the first line of an import (`from wagtail.models import (`) and no use of a
name through a module (`models.PageViewRestriction`) or a method call (`page.permissions_for_user(user)`), so this
contract takes the module list from import-linter's graph and reads each module's syntax tree itself.

Configuration (see importlinter-forbidden.toml):

    [tool.importlinter]
    contract_types = ["restricted_names: lint.contracts.RestrictedNamesContract"]

    [[tool.importlinter.contracts]]
    type = "restricted_names"
    allowed_modules = ["boards.permissions"]           # these modules (and their submodules) may use all of it
    forbidden_modules = ["guardian.shortcuts"]         # importing these modules, or anything in them
    forbidden_names = ["wagtail.models.PageViewRestriction"]  # importing the name, or any `x.PageViewRestriction`
    forbidden_calls = ["permissions_for_user"]         # any call `x.permissions_for_user(...)`
    ignore = ["boards.admin_views: permissions_for_user"]  # "module: what" — known offenders, each a to-do
    unmatched_ignore_alerting = "error"                # an ignore no offence matches: "error", "warn" or "none"

`what` is a forbidden module as written, the last part of a forbidden name, or a forbidden call's method name.
"""

import ast
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

from importlinter.application import output
from importlinter.application.contract_utils import AlertLevel
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


@dataclass
class Offence:
    module: str
    what: str
    lines: list = field(default_factory=list)


def _within(name, prefix):
    return name == prefix or name.startswith(prefix + ".")


class RestrictedNamesContract(Contract):
    """Only `allowed_modules` may import `forbidden_modules` or `forbidden_names`, or call `forbidden_calls`."""

    type_name = "restricted_names"

    allowed_modules = fields.SetField(subfield=fields.StringField())
    forbidden_modules = fields.SetField(subfield=fields.StringField(), required=False)
    forbidden_names = fields.SetField(subfield=fields.StringField(), required=False)
    forbidden_calls = fields.SetField(subfield=fields.StringField(), required=False)
    ignore = fields.SetField(subfield=fields.StringField(), required=False)
    unmatched_ignore_alerting = fields.EnumField(AlertLevel, default=AlertLevel.ERROR)
    broken_contract_guidance = fields.TextField(required=False)

    def check(self, graph, verbose):
        ignored = self._ignored()
        offences = {}
        for module in sorted(self._checked_modules(graph)):
            for what, line in self._offences_in(module):
                offences.setdefault((module, what), Offence(module, what)).lines.append(line)
        kept_offences = [o for key, o in sorted(offences.items()) if key not in ignored]
        unmatched = sorted(set(ignored) - set(offences))
        unmatched_text = [f"No offence matches the ignore entry '{ignored[key]}'." for key in unmatched]
        warnings = unmatched_text if self.unmatched_ignore_alerting == AlertLevel.WARN else []
        errors = unmatched_text if self.unmatched_ignore_alerting == AlertLevel.ERROR else []
        return ContractCheck(
            kept=not kept_offences and not errors,
            warnings=warnings,
            metadata={"offences": kept_offences, "errors": errors, "ignored": len(ignored) - len(unmatched)},
        )

    def render_broken_contract(self, check):
        for offence in check.metadata["offences"]:
            lines = ", ".join(f"l.{n}" for n in sorted(set(offence.lines)))
            output.print_error(f"{offence.module} uses {offence.what} ({lines})", bold=False)
        for error in check.metadata["errors"]:
            output.print_error(error, bold=False)
        output.new_line()
        if self.broken_contract_guidance:
            output.print(self.broken_contract_guidance)

    # --- what is checked ----------------------------------------------------------------------------------------

    def _ignored(self):
        """{(module, what): the entry as written}."""
        entries = {}
        for entry in self.ignore or ():
            module, sep, what = entry.partition(":")
            if not sep or not module.strip() or not what.strip():
                raise ValueError(f"Ignore entries are 'module: what', not '{entry}'.")
            entries[(module.strip(), what.strip())] = entry
        return entries

    def _roots(self):
        roots = self.session_options.get("root_packages") or [self.session_options.get("root_package")]
        return [root for root in roots if root]

    def _checked_modules(self, graph):
        roots = self._roots()
        for module in graph.modules:
            if not any(_within(module, root) for root in roots):
                continue  # an external package, squashed by import-linter
            if any(_within(module, allowed) for allowed in self.allowed_modules):
                continue
            yield module

    def _source_of(self, module):
        """The module's file, found from its top-level package's location (nothing is imported)."""
        root, *rest = module.split(".")
        spec = importlib.util.find_spec(root)
        base = Path(next(iter(spec.submodule_search_locations))) if spec.submodule_search_locations else None
        if base is None:
            return Path(spec.origin)
        path = base.joinpath(*rest)
        return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")

    def _offences_in(self, module):
        """(what, line) for each forbidden import, name or call in the module."""
        tree = ast.parse(self._source_of(module).read_text(encoding="utf-8"))
        modules = self.forbidden_modules or set()
        names = self.forbidden_names or set()
        leaves = {name.rsplit(".", 1)[-1] for name in names}
        calls = self.forbidden_calls or set()

        def imported(dotted):
            for forbidden in modules:
                if _within(dotted, forbidden):
                    return forbidden
            return dotted.rsplit(".", 1)[-1] if dotted in names else None

        for node in ast.walk(tree):
            yield from _import_offences(node, imported)
            yield from _use_offences(node, leaves, calls)


def _import_offences(node, imported):
    """(what, line) for a forbidden module or name in an import statement."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            what = imported(alias.name)
            if what:
                yield what, node.lineno
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        for alias in node.names:
            what = imported(f"{node.module}.{alias.name}") or imported(node.module)
            if what:
                yield what, node.lineno


def _use_offences(node, leaves, calls):
    """(what, line) for a forbidden name used through a module, or a forbidden method called."""
    if isinstance(node, ast.Attribute) and node.attr in leaves:
        yield node.attr, node.lineno
    elif isinstance(node, ast.Name) and node.id in leaves:
        yield node.id, node.lineno
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in calls:
        yield node.func.attr, node.lineno
