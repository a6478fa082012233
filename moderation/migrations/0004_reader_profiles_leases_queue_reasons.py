"""Reader data moves from articles.Profile to moderation.ReaderProfile; queue reasons get rows of
their own (filtered without a regex); leases for scoring outside transactions."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_profiles(apps, schema_editor):
    Profile = apps.get_model("articles", "Profile")
    ReaderProfile = apps.get_model("moderation", "ReaderProfile")
    ReaderProfile.objects.bulk_create(
        ReaderProfile(
            user_id=profile.user_id,
            is_banned=profile.is_banned,
            banned_at=profile.banned_at,
            notify_on_decision=profile.notify_on_decision,
            language=profile.language,
        )
        for profile in Profile.objects.all()
    )


def copy_queue_reasons(apps, schema_editor):
    """Each item's reasons with their labels, from its latest assessment where there is one."""
    ReviewItem = apps.get_model("moderation", "ReviewItem")
    Assessment = apps.get_model("moderation", "Assessment")
    QueueReason = apps.get_model("moderation", "QueueReason")
    rows = []
    for item in ReviewItem.objects.all():
        latest = (
            Assessment.objects.filter(comment_id=item.comment_id)
            .order_by("-created_at", "-id")
            .first()
        )
        pairs = [(r.get("code", ""), r.get("label", "")) for r in latest.reasons] if latest else []
        pairs = pairs or [(code, "") for code in item.reason_codes.split()]
        for code, label in dict.fromkeys(pairs):
            if code and code != "reported":
                rows.append(QueueReason(item_id=item.pk, code=code, label=label))
    QueueReason.objects.bulk_create(rows)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0002_profile_language_profile_notify_on_decision'),
        ('moderation', '0003_status_change_reason_code'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ScoringLease',
            fields=[
                ('comment', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='articles.comment')),
                ('token', models.CharField(db_index=True, max_length=32)),
                ('expires_at', models.DateTimeField(db_index=True)),
            ],
        ),
        migrations.AlterField(
            model_name='reviewitem',
            name='priority',
            field=models.PositiveSmallIntegerField(choices=[(0, 'urgent'), (1, 'normal')], default=1),
        ),
        migrations.AlterField(
            model_name='statuschange',
            name='from_status',
            field=models.CharField(choices=[('pending', 'pending'), ('approved', 'approved'), ('rejected', 'rejected'), ('needs_review', 'needs review'), ('removed', 'removed')], max_length=20, verbose_name='from'),
        ),
        migrations.AlterField(
            model_name='statuschange',
            name='to_status',
            field=models.CharField(choices=[('pending', 'pending'), ('approved', 'approved'), ('rejected', 'rejected'), ('needs_review', 'needs review'), ('removed', 'removed')], max_length=20, verbose_name='to'),
        ),
        migrations.CreateModel(
            name='ReaderProfile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('is_banned', models.BooleanField(default=False, verbose_name='banned')),
                ('banned_at', models.DateTimeField(blank=True, null=True, verbose_name='banned at')),
                ('ban_reason', models.CharField(blank=True, max_length=300, verbose_name='reason for the ban')),
                ('notify_on_decision', models.BooleanField(default=False, verbose_name='e-mail me when a moderator decides on my comments')),
                ('language', models.CharField(choices=[('de', 'German'), ('en', 'English')], default='de', max_length=5, verbose_name='language for e-mails')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='reader_profile', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'reader profile',
                'verbose_name_plural': 'reader profiles',
            },
        ),
        migrations.CreateModel(
            name='QueueReason',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(choices=[('toxicity_reject', 'toxicity: reject threshold'), ('toxicity_review', 'toxicity: review threshold'), ('off_topic', 'off-topic'), ('new_commenter', 'new commenter'), ('contains_link', 'contains a link'), ('assessment_unavailable', 'automatic assessment unavailable'), ('reported', 'reported by readers')], max_length=30, verbose_name='reason')),
                ('label', models.CharField(blank=True, max_length=40, verbose_name='label')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reasons', to='moderation.reviewitem')),
            ],
            options={
                'verbose_name': 'queue reason',
                'verbose_name_plural': 'queue reasons',
                'indexes': [models.Index(fields=['code', 'item'], name='moderation__code_772777_idx'), models.Index(fields=['label', 'item'], name='moderation__label_43780d_idx')],
            },
        ),
        migrations.RunPython(copy_profiles, migrations.RunPython.noop),
        migrations.RunPython(copy_queue_reasons, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='reviewitem',
            name='labels',
        ),
        migrations.RemoveField(
            model_name='reviewitem',
            name='reason_codes',
        ),
    ]
