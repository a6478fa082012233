"""Demo content: a few articles in German and English, three accounts and a mixed thread."""

from datetime import timedelta
from typing import TypedDict

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Comment
from moderation import services as moderation

DEMO_PASSWORD = "agora-demo-2026"  # noqa: S105 - documented demo logins for a local install

DEMO_USERS = [
    # username, e-mail, staff, superuser, groups
    ("leserin", "reader@example.org", False, False, []),
    ("moderator", "moderator@example.org", True, False, ["Moderators"]),
    ("owner", "owner@example.org", True, True, ["Site owners"]),
]

MODERATOR_PERMISSIONS = [
    "moderate_comments",
    "view_reviewitem",
    "view_article",
    "view_comment",
    "view_readerprofile",
    "change_readerprofile",
    "view_statuschange",
]

# Site owners tune the policy and read the dashboard (moderation.permissions.is_site_owner); the
# site model's pages and the labelled examples ask for that permission only. The what-if links
# the comments it changes, which owners read but do not decide.
OWNER_PERMISSIONS = [
    "add_policyversion",
    "view_policyversion",
    "view_comment",
    "view_article",
    "view_statuschange",
    "view_auditsample",
]

GROUP_PERMISSIONS = {"Moderators": MODERATOR_PERMISSIONS, "Site owners": OWNER_PERMISSIONS}


def demo_group(name: str) -> Group:
    """The group `name` with the demo's permissions for it (tests build their staff this way)."""
    group, _ = Group.objects.get_or_create(name=name)
    if name in GROUP_PERMISSIONS:
        group.permissions.set(Permission.objects.filter(codename__in=GROUP_PERMISSIONS[name]))
    return group


class DemoArticle(TypedDict):
    slug: str
    language: str
    title: str
    lead: str
    body: str
    author_name: str
    days_ago: int


ARTICLES: list[DemoArticle] = [
    {
        "slug": "stadtrat-beschliesst-mehr-radwege",
        "language": "de",
        "title": "Stadtrat beschließt mehr Radwege in der Innenstadt",
        "lead": "Bis 2028 sollen zwölf Kilometer geschützte Radspuren entstehen. "
        "Der Handel fürchtet um Parkplätze.",
        "body": "Mit knapper Mehrheit hat der Stadtrat am Dienstagabend ein Programm für "
        "geschützte Radwege beschlossen. Zwölf Kilometer sollen in den nächsten drei Jahren "
        "entstehen, vor allem auf den Ringstraßen rund um die Altstadt.\n\n"
        "Die Verwaltung rechnet mit Kosten von rund neun Millionen Euro, von denen das Land "
        "etwa die Hälfte übernehmen will. Wegfallen würden nach ersten Plänen gut 300 "
        "Parkplätze am Straßenrand.\n\n"
        "Der Einzelhandelsverband kündigte an, die Planung kritisch zu begleiten. Kundinnen "
        "und Kunden aus dem Umland kämen weiterhin überwiegend mit dem Auto, sagte dessen "
        "Sprecherin. Die Fahrradinitiative sprach dagegen von einem überfälligen Schritt.",
        "author_name": "Jana Korte",
        "days_ago": 1,
    },
    {
        "slug": "bibliothek-verlaengert-oeffnungszeiten",
        "language": "de",
        "title": "Stadtbibliothek öffnet künftig auch sonntags",
        "lead": "Ein Pilotprojekt mit Selbstverbuchung macht längere Öffnungszeiten möglich.",
        "body": "Ab dem kommenden Monat ist die Stadtbibliothek auch sonntags von 11 bis "
        "17 Uhr geöffnet. Möglich macht das ein Pilotprojekt: An Sonntagen arbeiten nur zwei "
        "Aufsichtskräfte, Ausleihe und Rückgabe laufen über Automaten.\n\n"
        "Die Leiterin der Bibliothek hofft vor allem auf Familien und Studierende. Nach einem "
        "halben Jahr soll ausgewertet werden, wie das Angebot angenommen wird.",
        "author_name": "Malte Brandt",
        "days_ago": 3,
    },
    {
        "slug": "harbour-ferry-returns",
        "language": "en",
        "title": "The harbour ferry returns after a two-year pause",
        "lead": "A refitted electric ferry links the old docks with the university campus again.",
        "body": "After two years without a service, the harbour ferry is running again. The "
        "refitted boat now runs on batteries that are charged at the dock during the night.\n\n"
        "The operator plans a crossing every twenty minutes on weekdays. Tickets from the "
        "regular bus network are valid on board.\n\n"
        "Residents of the docks had campaigned for the return of the service, which had been "
        "suspended when the old diesel vessel failed its safety inspection.",
        "author_name": "Priya Nair",
        "days_ago": 2,
    },
    {
        "slug": "school-gardens-programme",
        "language": "en",
        "title": "Every primary school to get a garden by next spring",
        "lead": "The council funds raised beds, tools and a part-time gardener for each school.",
        "body": "The council has approved a programme that gives each of the city's "
        "primary schools a small garden. Schools can choose between raised beds on the "
        "playground and plots in nearby allotments.\n\n"
        "A part-time gardener will visit each school once a week. Teachers say the gardens "
        "will be used in science lessons as well as after school.",
        "author_name": "Tom Hallett",
        "days_ago": 5,
    },
]

# (article slug, author, parent index or None, status, reason, text)
COMMENTS = [
    (
        "stadtrat-beschliesst-mehr-radwege",
        "leserin",
        None,
        "approved",
        "",
        "Endlich! Ich fahre jeden Tag über den Ring und fühle mich zwischen Bussen und Lieferwagen "
        "oft unsicher. Geschützte Spuren würden das ändern.",
    ),
    (
        "stadtrat-beschliesst-mehr-radwege",
        "moderator",
        0,
        "approved",
        "",
        "Weiß jemand, ob auch die Kreuzungen umgebaut werden? Dort passieren die meisten Unfälle.",
    ),
    (
        "stadtrat-beschliesst-mehr-radwege",
        "leserin",
        1,
        "approved",
        "",
        "Laut Vorlage ja, an vier großen Kreuzungen sind eigene Ampelphasen geplant.",
    ),
    (
        "stadtrat-beschliesst-mehr-radwege",
        "owner",
        None,
        "needs_review",
        "",
        "300 Parkplätze weniger sind für die Läden in der Altstadt ein echtes Problem.",
    ),
    (
        "stadtrat-beschliesst-mehr-radwege",
        "leserin",
        None,
        "rejected",
        "Der Kommentar greift andere Leser persönlich an.",
        "Wer so etwas fordert, hat doch keine Ahnung.",
    ),
    (
        "stadtrat-beschliesst-mehr-radwege",
        "leserin",
        0,
        "pending",
        "",
        "Nachtrag: Die Radwege sollen auch im Winter geräumt werden.",
    ),
    (
        "harbour-ferry-returns",
        "leserin",
        None,
        "approved",
        "",
        "Great news. The ferry is much quicker than the bus around the docks.",
    ),
    (
        "harbour-ferry-returns",
        "moderator",
        6,
        "approved",
        "",
        "Does anyone know if bikes are allowed on board?",
    ),
    (
        "harbour-ferry-returns",
        "owner",
        7,
        "approved",
        "",
        "Yes, up to eight bikes per crossing, according to the operator.",
    ),
    (
        "harbour-ferry-returns",
        "leserin",
        None,
        "pending",
        "",
        "I hope the evening timetable will be extended in summer.",
    ),
]


class Command(BaseCommand):
    help = f"Creates demo articles, accounts (password: {DEMO_PASSWORD}) and comments."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when there are already articles.",
        )

    @transaction.atomic
    def handle(self, *args, if_empty: bool = False, **options) -> None:
        if if_empty and Article.objects.exists():
            self.stdout.write("Articles exist already; no demo content created.")
            return
        users = {
            username: self._user(username, email, staff, superuser, groups)
            for username, email, staff, superuser, groups in DEMO_USERS
        }
        now = timezone.now()
        articles = {}
        for data in ARTICLES:
            fields = {k: v for k, v in data.items() if k not in {"slug", "days_ago"}}
            fields["published_at"] = now - timedelta(days=data["days_ago"])
            articles[data["slug"]], _ = Article.objects.update_or_create(
                slug=data["slug"], defaults=fields
            )
        created: list[Comment] = []
        for index, (slug, author, parent, status, reason, text) in enumerate(COMMENTS):
            parent_comment = created[parent] if parent is not None else None
            comment, new = Comment.objects.get_or_create(
                article=articles[slug],
                author=users[author],
                body=text,
                defaults={
                    "parent": parent_comment,
                    "depth": parent_comment.depth + 1 if parent_comment else 1,
                    "status": status,
                    "rejection_reason": reason,
                    "created_at": now - timedelta(hours=len(COMMENTS) - index),
                },
            )
            created.append(comment)
            if status == "needs_review":
                moderation.enqueue_for_review(comment=comment)
            if status == "rejected" and new:
                # Rejected by the demo moderator the way moderators reject, so that the audit
                # trail has the decision and its author can try an appeal.
                Comment.objects.filter(pk=comment.pk).update(status="needs_review")
                comment.status = "needs_review"
                moderation.moderate(
                    comment=comment,
                    moderator=users["moderator"],
                    action="reject",
                    expected_status="needs_review",
                    reason="disrespectful",
                    reason_text=reason,
                )
        # A published comment that a reader reported, so the queue shows both kinds of item.
        reported = created[6]
        if not reported.reports.exists():
            moderation.report_comment(comment=reported, reporter=users["owner"], reason="off_topic")
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))

    def _user(self, username: str, email: str, staff: bool, superuser: bool, groups: list[str]):
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"email": email, "is_staff": staff, "is_superuser": superuser},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        for name in groups:
            user.groups.add(demo_group(name))
        return user
