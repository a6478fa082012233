from allauth.account.forms import SignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from articles import plaintext
from articles.models import Article, Comment
from moderation import services as moderation


class CommentForm(forms.Form):
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, article: Article, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.article = article
        self.user = user
        limit = settings.COMMENTS_MAX_LENGTH
        self.fields["body"] = forms.CharField(
            label=_("Your comment"),
            max_length=limit,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={
                "required": _("Please write a comment before you send it."),
                "max_length": _(
                    "Please keep your comment to %(limit_value)d characters "
                    "(it has %(show_value)d)."
                ),
            },
        )
        self.order_fields(["body", "parent"])

    def clean_body(self) -> str:
        # Controls and noncharacters go (they break the feeds); a text that shows nothing, like
        # zero-width spaces only, is as empty as one of spaces only.
        body = plaintext.clean_text(self.cleaned_data["body"]).strip()
        if not plaintext.has_visible_text(body):
            raise forms.ValidationError(self.fields["body"].error_messages["required"])
        return body

    def clean_parent(self) -> Comment | None:
        parent_id = self.cleaned_data.get("parent")
        if parent_id is None:
            return None
        parent = Comment.objects.filter(pk=parent_id).select_related("parent").first()
        if parent is None:
            raise forms.ValidationError(_("The comment you replied to no longer exists."))
        if parent.article_id != self.article.pk:
            raise forms.ValidationError(_("The comment you replied to belongs to another article."))
        if not parent.is_visible_to(self.user) or parent.is_turned_down:
            raise forms.ValidationError(_("The comment you replied to is not published."))
        return parent


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should moderators look at this comment?"),
        choices=moderation.REPORT_REASONS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a reason for your report."),
            "invalid_choice": _("Choose a reason for your report."),
        },
    )
    text = forms.CharField(label=_("Details (optional)"), max_length=500, required=False)

    def clean_text(self) -> str:
        return plaintext.clean_text(self.cleaned_data["text"]).strip()


class NotificationForm(forms.Form):
    notify_on_decision = forms.BooleanField(
        label=_("e-mail me when a moderator decides on my comments"), required=False
    )
    language = forms.ChoiceField(label=_("language for e-mails"), choices=settings.LANGUAGES)
    notify_on_reply = forms.BooleanField(
        label=_("e-mail me when someone replies to my comments"), required=False
    )
    follow_frequency = forms.ChoiceField(
        label=_("e-mails about discussions I follow"),
        choices=moderation.FOLLOW_FREQUENCIES,
        required=False,
    )

    def clean_follow_frequency(self) -> str:
        return self.cleaned_data["follow_frequency"] or moderation.FOLLOW_FREQUENCIES[0][0]


class FollowEmailForm(forms.Form):
    """A visitor without an account follows a discussion: the address to confirm."""

    EMAIL_MAX_LENGTH = 254

    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        error_messages={
            "required": _("Please enter your e-mail address."),
            "invalid": _("Please enter a valid e-mail address."),
        },
    )

    def clean_email(self) -> str:
        """The address in the one spelling its rate limit counted and storage dedupes on."""
        try:
            email = moderation.normalised_address(self.cleaned_data["email"])
        except ValueError:
            email = ""
        if not email or len(email) > self.EMAIL_MAX_LENGTH:
            raise forms.ValidationError(self.fields["email"].error_messages["invalid"])
        return email


class DisplayNameSignupForm(SignupForm):
    """allauth's sign-up form, saying what the user name is: the name others see on comments."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.label = _("Display name")
        field.help_text = _(
            "Shown publicly with your comments. You sign in with your e-mail address, not with "
            "this name."
        )
        field.widget.attrs["placeholder"] = _("Display name")
