"""Adopt following's three models from moderation, tables and rows as they are: this changes only
Django's record of which app owns them (0002 renames the tables)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('articles', '0004_comment_thread_root'),
        ('moderation', '0016_model_status_load_seconds'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CommentToAnnounce',
                    fields=[
                        ('comment', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='articles.comment')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={
                        'db_table': 'moderation_commenttoannounce',
                    },
                ),
                migrations.CreateModel(
                    name='Subscription',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail address')),
                        ('language', models.CharField(choices=[('de', 'German'), ('en', 'English')], default='de', max_length=5, verbose_name='language for e-mails')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='subscribed')),
                        ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmed')),
                        ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='subscriptions', to='articles.article', verbose_name='article')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='subscriptions', to=settings.AUTH_USER_MODEL, verbose_name='reader')),
                    ],
                    options={
                        'verbose_name': 'subscription',
                        'verbose_name_plural': 'subscriptions',
                        'db_table': 'moderation_subscription',
                    },
                ),
                migrations.CreateModel(
                    name='FollowerMail',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('recipient', models.EmailField(max_length=254, verbose_name='recipient')),
                        ('reason', models.CharField(choices=[('following', 'follows the article'), ('reply', 'reply to their comment')], max_length=10)),
                        ('language', models.CharField(default='de', max_length=5)),
                        ('digest', models.BooleanField(default=False)),
                        ('due_at', models.DateTimeField(db_index=True)),
                        ('claim', models.CharField(blank=True, db_index=True, max_length=32)),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.article')),
                        ('comment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.comment', verbose_name='comment')),
                        ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('subscription', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='notifications.subscription')),
                    ],
                    options={
                        'verbose_name': 'follower e-mail',
                        'verbose_name_plural': 'follower e-mails',
                        'db_table': 'moderation_followermail',
                    },
                ),
                migrations.AddConstraint(
                    model_name='subscription',
                    constraint=models.UniqueConstraint(condition=models.Q(('user__isnull', False)), fields=('article', 'user'), name='one_subscription_per_reader_and_article'),
                ),
                migrations.AddConstraint(
                    model_name='subscription',
                    constraint=models.UniqueConstraint(condition=models.Q(('user__isnull', True)), fields=('article', 'email'), name='one_subscription_per_address_and_article'),
                ),
                migrations.AddConstraint(
                    model_name='subscription',
                    constraint=models.CheckConstraint(condition=models.Q(('user__isnull', False), models.Q(('email', ''), _negated=True), _connector='OR'), name='subscription_has_reader_or_address'),
                ),
                migrations.AddIndex(
                    model_name='followermail',
                    index=models.Index(fields=['recipient', 'article', 'sent_at'], name='moderation__recipie_978f77_idx'),
                ),
                migrations.AddConstraint(
                    model_name='followermail',
                    constraint=models.UniqueConstraint(fields=('recipient', 'comment'), name='one_follower_mail_per_recipient_and_comment'),
                ),
            ],
            database_operations=[],
        ),
    ]
