"""Give following's tables this app's names, and move their content types (and so their
permissions, and any group that holds them) from moderation to notifications."""

from django.db import migrations

MODELS = ["subscription", "commenttoannounce", "followermail"]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(
        ContentType.objects.filter(app_label="notifications", model__in=MODELS).values_list(
            "model", flat=True
        )
    )
    ContentType.objects.filter(app_label="moderation", model__in=MODELS).exclude(
        model__in=taken
    ).update(app_label="notifications")


def return_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="notifications", model__in=MODELS).update(
        app_label="moderation"
    )


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("moderation", "0017_following_moves_to_notifications"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="commenttoannounce", table=None),
        migrations.AlterModelTable(name="followermail", table=None),
        migrations.AlterModelTable(name="subscription", table=None),
        migrations.RunPython(move_content_types, return_content_types),
    ]
