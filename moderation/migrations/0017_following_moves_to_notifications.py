"""Following's models now belong to `notifications`: forget them here, leaving their tables and
rows to that app (its 0001 adopts them)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('moderation', '0016_model_status_load_seconds'),
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='followermail',
                    name='article',
                ),
                migrations.RemoveField(
                    model_name='followermail',
                    name='comment',
                ),
                migrations.RemoveField(
                    model_name='followermail',
                    name='subscription',
                ),
                migrations.RemoveField(
                    model_name='followermail',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='subscription',
                    name='article',
                ),
                migrations.RemoveField(
                    model_name='subscription',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='CommentToAnnounce',
                ),
                migrations.DeleteModel(
                    name='FollowerMail',
                ),
                migrations.DeleteModel(
                    name='Subscription',
                ),
            ],
            database_operations=[],
        ),
    ]
