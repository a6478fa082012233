"""Readers' e-mail preferences move from moderation's reader profile to this app: copied here
row by row (moderation's 0018 then drops the old columns); backwards, copied back."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


FIELDS = ["notify_on_decision", "language", "notify_on_reply", "follow_frequency"]


def copy_from_reader_profiles(apps, schema_editor):
    ReaderProfile = apps.get_model("moderation", "ReaderProfile")
    EmailPreferences = apps.get_model("notifications", "EmailPreferences")
    rows = ReaderProfile.objects.values("user_id", *FIELDS)
    EmailPreferences.objects.bulk_create(
        (EmailPreferences(**row) for row in rows.iterator()), batch_size=1000
    )


def copy_back_to_reader_profiles(apps, schema_editor):
    ReaderProfile = apps.get_model("moderation", "ReaderProfile")
    EmailPreferences = apps.get_model("notifications", "EmailPreferences")
    for row in EmailPreferences.objects.values("user_id", *FIELDS).iterator():
        user_id = row.pop("user_id")
        ReaderProfile.objects.update_or_create(user_id=user_id, defaults=row)


class Migration(migrations.Migration):

    dependencies = [
        ('moderation', '0017_following_moves_to_notifications'),
        ('notifications', '0002_tables_and_content_types'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='EmailPreferences',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('notify_on_decision', models.BooleanField(default=False, verbose_name='e-mail me when a moderator decides on my comments')),
                ('language', models.CharField(choices=[('de', 'German'), ('en', 'English')], default='de', max_length=5, verbose_name='language for e-mails')),
                ('notify_on_reply', models.BooleanField(default=True, verbose_name='e-mail me when someone replies to my comments')),
                ('follow_frequency', models.CharField(choices=[('immediately', 'immediately'), ('daily', 'once a day (daily digest)')], default='immediately', max_length=12, verbose_name='e-mails about discussions I follow')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='email_preferences', to=settings.AUTH_USER_MODEL, verbose_name='reader')),
            ],
            options={
                'verbose_name': 'e-mail preferences',
                'verbose_name_plural': 'e-mail preferences',
            },
        ),
        migrations.RunPython(copy_from_reader_profiles, copy_back_to_reader_profiles),
    ]
