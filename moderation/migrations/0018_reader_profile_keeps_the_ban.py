"""The reader profile keeps the ban; the e-mail preferences now live in notifications (0003 copied
them there)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('moderation', '0017_following_moves_to_notifications'),
        ('notifications', '0003_email_preferences'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='readerprofile',
            name='follow_frequency',
        ),
        migrations.RemoveField(
            model_name='readerprofile',
            name='language',
        ),
        migrations.RemoveField(
            model_name='readerprofile',
            name='notify_on_decision',
        ),
        migrations.RemoveField(
            model_name='readerprofile',
            name='notify_on_reply',
        ),
    ]
