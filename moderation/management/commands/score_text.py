import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles.models import Article, Comment
from moderation.models import PolicyVersion
from moderation.scoring import classifiers, pipeline
from moderation.scoring.assessment import assess
from moderation.scoring.results import Item


class Command(BaseCommand):
    help = (
        "Scores a text as the worker would and prints one JSON object: every toxicity label, "
        "the relevance (calibrated, and the model's raw similarity), and the decision with its "
        "reasons under the active policy."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("text")
        parser.add_argument("--article", help="slug of the article the text comments on")
        parser.add_argument("--parent", type=int, help="id of the comment the text replies to")
        parser.add_argument(
            "--author", help="username; without it the new-commenter rule does not apply"
        )

    def handle(self, *args, text: str, article=None, parent=None, author=None, **options) -> None:
        policy = PolicyVersion.objects.active()
        item = Item(text=text, article=None)
        item.author_approved_comments = policy.new_commenter_reviews
        if article:
            item.article = Article.objects.filter(slug=article).first()
            if item.article is None:
                raise CommandError(f"No article with the slug {article!r}.")
            item.declared_language = item.article.language
        if parent is not None:
            parent_comment = Comment.objects.filter(pk=parent).first()
            if parent_comment is None:
                raise CommandError(f"No comment with the id {parent}.")
            if item.article is None:
                item.article = parent_comment.article
            elif parent_comment.article_id != item.article.pk:
                raise CommandError(f"Comment {parent} belongs to another article.")
            item.parent_text = parent_comment.body
            stored = pipeline.parents_relevance({parent_comment.pk}).get(parent_comment.pk)
            if stored is not None:
                item.parent_relevance, item.parent_relevance_model = stored
        if author:
            user = get_user_model().objects.filter(username=author).first()
            if user is None:
                raise CommandError(f"No user named {author!r}.")
            item.author_approved_comments = user.comments.filter(
                status=Comment.Status.APPROVED
            ).count()
        try:
            scorer = pipeline.load_scorer_and_report()
        except classifiers.ClassifierUnavailable as error:
            raise CommandError(f"The models do not load: {error}") from error
        [result] = assess([item], scorer=scorer, policy=policy)
        output = {
            "toxicity": {label: round(score, 6) for label, score in result.toxicity.items()},
            "relevance": _rounded(result.relevance),
            "relevance_article": _rounded(result.relevance_article),
            "relevance_parent": _rounded(result.relevance_parent),
            "relevance_parent_article": _rounded(result.relevance_parent_article),
            "relevance_raw": _rounded(result.relevance_raw),
            "relevance_parent_raw": _rounded(result.relevance_parent_raw),
            "language": result.language,
            "language_source": result.language_source,
            "decision": result.decided.outcome.value,
            "reasons": [reason.as_dict() for reason in result.decided.reasons],
            "policy_version": policy.pk,
            "site_model": result.site_model,
            "site_model_version": result.site_model_version,
            "models": {
                "toxicity": scorer.toxicity.model_id,
                "relevance": result.relevance_model or None,
            },
            "error": result.error or None,
        }
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)
