"""Creates the load test's accounts in the database named by DATABASE_URL: one agency officer, one secretary.

Run: DJANGO_SETTINGS_MODULE=tests.load.settings python -m tests.load.prepare
"""

import os

import django

PASSWORD = os.environ.get("LOAD_PASSWORD", "load-test-password-2026")


def main():
    django.setup()
    from django.contrib.auth.models import Group, User

    from boards.models import BoardPartner

    partner = BoardPartner.objects.select_related("organisation__group").order_by("board_id", "id").first()
    agency, _ = User.objects.get_or_create(username="load-agency", defaults={"is_staff": True})
    agency.set_password(PASSWORD)
    agency.is_active = True
    agency.save()
    if partner is not None and partner.organisation.group:
        agency.groups.add(partner.organisation.group)
    secretary, _ = User.objects.get_or_create(username="load-secretary", defaults={"is_staff": True})
    secretary.set_password(PASSWORD)
    secretary.save()
    secretary.groups.add(Group.objects.get(name="Secretariat"))
    org = partner.organisation.name if partner else "no agency"
    print(f"load-agency ({org}) and load-secretary ready")


if __name__ == "__main__":
    main()
