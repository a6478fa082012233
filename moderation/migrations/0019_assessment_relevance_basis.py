"""Each assessment records what its relevance rests on. Until now relevance was measured only
against an article, so older assessments are filled in from the scores they kept: the article
with the parent where both were measured, the article alone otherwise, nothing where neither."""

from django.db import migrations, models


def fill_in_the_basis(apps, schema_editor):
    Assessment = apps.get_model("moderation", "Assessment")
    with_article = Assessment.objects.filter(relevance_article__isnull=False)
    with_article.filter(relevance_parent__isnull=False).update(
        relevance_basis="article_and_parent"
    )
    with_article.filter(relevance_parent__isnull=True).update(relevance_basis="article")


class Migration(migrations.Migration):

    dependencies = [
        ('moderation', '0018_reader_profile_keeps_the_ban'),
    ]

    operations = [
        migrations.AddField(
            model_name='assessment',
            name='relevance_basis',
            field=models.CharField(blank=True, choices=[('article', 'the article'), ('article_and_parent', 'the article and the parent comment'), ('parent', 'the parent comment (no article text)'), ('', 'nothing (no article text, no parent)')], default='', max_length=20, verbose_name='basis of relevance'),
        ),
        migrations.RunPython(fill_in_the_basis, migrations.RunPython.noop),
    ]
