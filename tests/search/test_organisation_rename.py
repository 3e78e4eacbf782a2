"""Renaming an organisation updates every record that names it: the agenda items it leads (and their minutes),
the actions it owns and the actions shared with it — in their text and in the organisation facet.

The rename goes through a plain model save, as the admin's edit form does; search.signals refreshes the records.
"""

from django.contrib.auth.models import AnonymousUser

from search.service import search
from tests.search.conftest import SECRET

ANON = AnonymousUser()


def organisation_labels(results):
    return {v.value: v.label for v in results.facets["organisation"]}


def keys(results):
    return {h.key for h in results.hits}


def test_renaming_the_owner_renames_its_actions_and_led_items(corpus, viewers):
    council = corpus.council
    action = f"action:{corpus.a_copies.pk}:public"
    assert action in keys(search(ANON, '"owner barnet council"'))
    assert search(ANON, "lbc").total == 0

    council.name, council.short_name = "Barnet London Borough Council", "Barnet LBC"
    council.save()

    # The action's text names its owner: found by the new name, no longer by the old one.
    assert keys(search(ANON, '"owner barnet lbc"')) == {action}
    assert search(ANON, '"owner barnet council"').total == 0
    # Staff see the restricted action of the exempt item renamed too.
    staff = search(viewers["on_board"], f"{SECRET} lbc", {"type": ["action"]})
    assert keys(staff) == {f"action:{corpus.a_secret.pk}:board:{corpus.board.pk}"}
    # The agenda item it leads, that item's minute and the action carry the new label in the facet.
    results = search(ANON, "library strategy consultation")
    assert {f"agenda_item:{corpus.strategy.pk}:public", f"minute:{corpus.e_strategy.pk}:public", action} <= keys(
        results
    )
    assert organisation_labels(results)[council.slug] == "Barnet LBC"
    assert "Barnet Council" not in organisation_labels(search(ANON, ""))
    # Filtering by the organisation (its slug is unchanged) still finds all it leads or owns.
    led = search(ANON, "", {"organisation": [council.slug], "type": ["agenda_item"]})
    assert f"agenda_item:{corpus.strategy.pk}:public" in keys(led)
    assert {v.label for v in led.facets["organisation"]} >= {"Barnet LBC"}


def test_renaming_a_sharer_renames_the_facet_of_shared_actions(corpus):
    nhs = corpus.nhs
    action = f"action:{corpus.a_copies.pk}:public"
    before = search(ANON, "paper copies", {"organisation": [nhs.slug]})
    assert keys(before) == {action}
    assert organisation_labels(before)[nhs.slug] == "NHS Barnet"

    nhs.name, nhs.short_name = "NHS North Central London", "NHS NCL"
    nhs.save()

    after = search(ANON, "paper copies", {"organisation": [nhs.slug]})
    assert keys(after) == {action}
    labels = organisation_labels(after)
    assert labels[nhs.slug] == "NHS NCL"
    assert "NHS Barnet" not in labels.values()
    assert "NHS Barnet" not in organisation_labels(search(ANON, ""))


def test_renaming_a_police_lead_renames_its_item_on_another_board(corpus):
    police = corpus.police
    police.short_name = "MPS"
    police.save()
    results = search(ANON, "antisocial behaviour")
    assert keys(results) == {f"agenda_item:{corpus.safety.pk}:public"}
    assert organisation_labels(results) == {police.slug: "MPS"}
