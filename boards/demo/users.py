"""The demo's users: one account per role with a known password, for trying the admin (never in production).

Made by `manage.py load_demo` with DEBUG on or --with-users; an existing account keeps its password.
"""

from django.contrib.auth.models import Group, User

from boards.models import Organisation, Person
from boards.roles import CHAIRS, SECRETARIAT

# username, password, groups (by name, or "org:" and an organisation's slug for its agency group), person slug
DEMO_USERS = [
    ("secretariat", "Demo-Secretariat-2011", [SECRETARIAT], "priya-raman"),
    ("chair", "Demo-Chair-2011", [CHAIRS, "org:barnet-council"], "helen-marsh"),
    ("barnet-council", "Demo-Barnet-2011", ["org:barnet-council"], None),
    ("nhs-barnet", "Demo-NHS-2011", ["org:nhs-barnet"], None),
    ("middlesex-university", "Demo-Middlesex-2011", ["org:middlesex-university"], None),
    ("jobcentre-plus", "Demo-Jobcentre-2011", ["org:jobcentre-plus"], None),
    ("metropolitan-police", "Demo-Police-2011", ["org:metropolitan-police"], None),
]


def create_users():
    """Get or create each demo user in its groups, linked to its person; returns (username, password, groups)."""
    created = []
    for username, password, groups, person_slug in DEMO_USERS:
        user, made = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org", "is_staff": True}
        )
        if made:
            user.set_password(password)
            user.save()
        for name in groups:
            if name.startswith("org:"):
                group = Organisation.objects.get(slug=name.removeprefix("org:")).group
            else:
                group = Group.objects.get(name=name)
            user.groups.add(group)
        if person_slug:
            person = Person.objects.get(slug=person_slug)
            if person.user_id is None:
                person.user = user
                person.save(update_fields=["user"])
        created.append((username, password if made else "(unchanged)", ", ".join(groups)))
    return created
