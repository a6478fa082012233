"""Profile moves to moderation.ReaderProfile, which copies its rows first."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0002_profile_language_profile_notify_on_decision'),
        ('moderation', '0004_reader_profiles_leases_queue_reasons'),
    ]

    operations = [
        migrations.DeleteModel(
            name='Profile',
        ),
    ]
