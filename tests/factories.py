"""factory_boy factories for the records model, with traits for the states tests need.

Pages are added under their parent with treebeard's add_child, so the tree stays valid.
"""

import datetime

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from boards.models import (
    Action,
    AgendaItem,
    Attendance,
    BoardIndexPage,
    BoardPage,
    BoardPartner,
    Declaration,
    MeetingPage,
    Membership,
    MinuteEntry,
    MinutesPage,
    Organisation,
    Person,
)
from home.models import HomePage


def boards_index():
    """The single BoardIndexPage, created under the home page if missing."""
    index = BoardIndexPage.objects.first()
    if index is None:
        home = HomePage.objects.first()
        index = home.add_child(instance=BoardIndexPage(title="Boards", slug="boards"))
    return index


class PageFactory(DjangoModelFactory):
    """Base for page factories: `parent` says where the page goes."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        instance = model_class(**kwargs)
        parent = parent or cls.default_parent(**kwargs)
        return parent.add_child(instance=instance)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Partner Agency {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    short_name = factory.LazyAttribute(lambda o: o.name.split()[0])
    kind = Organisation.Kind.COUNCIL


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    job_title = "Director"
    organisation = factory.SubFactory(OrganisationFactory)


class BoardPageFactory(PageFactory):
    class Meta:
        model = BoardPage

    title = factory.Sequence(lambda n: f"Partnership Board {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    code = factory.Sequence(lambda n: f"PB{n}")
    remit = "<p>To join up public services for residents.</p>"

    @staticmethod
    def default_parent(**kwargs):
        return boards_index()


class BoardPartnerFactory(DjangoModelFactory):
    class Meta:
        model = BoardPartner

    board = factory.SubFactory(BoardPageFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    joined_on = datetime.date(2010, 1, 1)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    board = factory.SubFactory(BoardPageFactory)
    person = factory.SubFactory(PersonFactory)
    on_behalf_of = factory.LazyAttribute(lambda o: o.person.organisation)
    role = Membership.Role.MEMBER
    start = datetime.date(2010, 1, 1)

    class Params:
        chair = factory.Trait(role=Membership.Role.CHAIR)
        vice_chair = factory.Trait(role=Membership.Role.VICE_CHAIR)


class MeetingPageFactory(PageFactory):
    class Meta:
        model = MeetingPage

    starts_at = factory.Sequence(
        lambda n: timezone.make_aware(datetime.datetime(2011, 3, 1, 10, 0)) + datetime.timedelta(days=7 * n)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    venue = "Hendon Town Hall, The Burroughs, London NW4 4BG"
    status = MeetingPage.Status.SCHEDULED
    title = factory.LazyAttribute(lambda o: f"Meeting {timezone.localtime(o.starts_at):%Y-%m-%d}")
    slug = factory.LazyAttribute(lambda o: timezone.localtime(o.starts_at).date().isoformat())

    board = None  # the parent BoardPage; popped in _create

    class Params:
        held = factory.Trait(status=MeetingPage.Status.HELD)
        cancelled = factory.Trait(status=MeetingPage.Status.CANCELLED)
        agenda_published = factory.Trait(
            agenda_published_at=factory.LazyAttribute(lambda o: o.starts_at - datetime.timedelta(days=10))
        )

    @classmethod
    def _create(cls, model_class, *args, parent=None, board=None, **kwargs):
        return super()._create(model_class, *args, parent=parent or board, **kwargs)

    @staticmethod
    def default_parent(**kwargs):
        return BoardPageFactory()


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingPageFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Agenda item {n}")
    summary = "A report on progress."
    sort_order = factory.LazyAttribute(lambda o: int(o.number) if o.number.isdigit() else 0)

    class Params:
        exempt_item = factory.Trait(exempt=True, exemption_paragraph=3)


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingPageFactory)
    person = factory.SubFactory(PersonFactory)
    on_behalf_of = factory.LazyAttribute(lambda o: o.person.organisation)
    status = Attendance.Status.PRESENT


class DeclarationFactory(DjangoModelFactory):
    class Meta:
        model = Declaration

    meeting = factory.SubFactory(MeetingPageFactory)
    person = factory.SubFactory(PersonFactory)
    item = "1"
    nature = "Non-pecuniary: trustee of a local charity."


class MinutesPageFactory(PageFactory):
    class Meta:
        model = MinutesPage

    title = "Minutes"
    slug = "minutes"
    # Live minutes must carry an approval (MinutesPage.save refuses otherwise); `draft=True` for unapproved.
    approved_on = datetime.date(2011, 7, 1)
    approved_by = "Cllr Chair"

    class Params:
        draft = factory.Trait(live=False, approved_on=None, approved_by="")

    @staticmethod
    def default_parent(**kwargs):
        return MeetingPageFactory(held=True)


class MinuteEntryFactory(DjangoModelFactory):
    class Meta:
        model = MinuteEntry

    page = factory.SubFactory(MinutesPageFactory)
    agenda_item = factory.SubFactory(AgendaItemFactory)
    discussion = "<p>The board discussed the report.</p>"
    resolution = "The board noted the report."


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action

    reference = factory.Sequence(lambda n: f"TEST/2011/03/{n + 1}")
    board = factory.SubFactory(BoardPageFactory)
    description = factory.Sequence(lambda n: f"Report back on item {n}.")
    owner = factory.SubFactory(OrganisationFactory)
    due_on = datetime.date(2011, 6, 1)
    status = Action.Status.OPEN


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for group in extracted or []:
            if isinstance(group, str):
                group, _ = Group.objects.get_or_create(name=group)
            self.groups.add(group)

    @factory.post_generation
    def secretariat(self, create, extracted, **kwargs):
        """UserFactory(secretariat=True): a staff member of the Secretariat group."""
        if extracted:
            self.is_staff = True
            self.save(update_fields=["is_staff"])
            self.groups.add(Group.objects.get_or_create(name="Secretariat")[0])
