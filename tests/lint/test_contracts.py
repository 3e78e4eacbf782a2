"""The custom import-linter contract of lint/contracts.py, on a small package written to a temporary folder."""

import importlib
import textwrap

import grimp
import pytest

from lint.contracts import RestrictedNamesContract

CONTRACT = {
    "allowed_modules": ["fakeapp.permissions"],
    "forbidden_modules": ["guardian.shortcuts"],
    "forbidden_names": ["wagtail.models.PageViewRestriction"],
    "forbidden_calls": ["permissions_for_user"],
}

ALLOWED = """
from guardian.shortcuts import assign_perm
from wagtail.models import PageViewRestriction


def may(page, user):
    return page.permissions_for_user(user).can_edit()
"""


@pytest.fixture
def package(tmp_path, monkeypatch):
    """fakeapp/: a permissions module that may do it all, and a clean module."""
    root = tmp_path / "fakeapp"
    root.mkdir()
    (root / "__init__.py").write_text("")
    (root / "permissions.py").write_text(ALLOWED)
    (root / "views.py").write_text("from fakeapp import permissions\n\n\ndef view(page, user):\n    return 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    return root


def check(**options):
    graph = grimp.build_graph("fakeapp", cache_dir=None)
    contract = RestrictedNamesContract(
        name="permission names", session_options={"root_packages": ["fakeapp"]}, contract_options=CONTRACT | options
    )
    return contract.check(graph, verbose=False)


def offences(result):
    return sorted((o.module, o.what, tuple(o.lines)) for o in result.metadata["offences"])


def test_a_clean_package_keeps_the_contract(package):
    assert check().kept


def test_each_way_of_using_a_forbidden_name_breaks_it_and_removing_it_mends_it(package):
    offender = package / "offender.py"
    offender.write_text(
        textwrap.dedent(
            """\
            from wagtail.models import (
                Page,
                PageViewRestriction,
            )
            from guardian import shortcuts
            import guardian.shortcuts as gs
            from wagtail import models


            def decide(page, user):
                models.PageViewRestriction.objects.all()
                return page.permissions_for_user(user).can_publish()
            """
        )
    )
    result = check()
    assert not result.kept
    assert offences(result) == [
        ("fakeapp.offender", "PageViewRestriction", (1, 11)),
        ("fakeapp.offender", "guardian.shortcuts", (5, 6)),
        ("fakeapp.offender", "permissions_for_user", (12,)),
    ]
    offender.unlink()
    assert check().kept


def test_an_ignored_offender_passes_and_a_stale_ignore_fails(package):
    (package / "views.py").write_text("def view(page, user):\n    return page.permissions_for_user(user)\n")
    assert check(ignore=["fakeapp.views: permissions_for_user"]).kept
    stale = check(ignore=["fakeapp.views: permissions_for_user", "fakeapp.gone: PageViewRestriction"])
    assert not stale.kept
    assert stale.metadata["errors"] == ["No offence matches the ignore entry 'fakeapp.gone: PageViewRestriction'."]
    warned = check(
        ignore=["fakeapp.views: permissions_for_user", "fakeapp.gone: PageViewRestriction"],
        unmatched_ignore_alerting="warn",
    )
    assert warned.kept and warned.warnings


def test_a_subpackage_of_an_allowed_module_is_allowed(package):
    (package / "permissions.py").unlink()
    (package / "permissions").mkdir()
    (package / "permissions" / "__init__.py").write_text(ALLOWED)
    (package / "permissions" / "pages.py").write_text(ALLOWED)
    assert check().kept
