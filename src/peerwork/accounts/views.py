"""A person's own account: preferences and the language switch."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerwork.accounts import services
from peerwork.accounts.forms import PreferencesForm
from peerwork.accounts.middleware import has_totp, requires_two_factor
from peerwork.accounts.models import User


def _user(request: HttpRequest) -> User:
    """The logged-in user; only for views behind ``login_required``."""
    assert isinstance(request.user, User)
    return request.user


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.set_preferences(user=user, name=form.cleaned_data["name"],
                                     language=form.cleaned_data["language"])
            response = HttpResponseRedirect(reverse("account_profile"))
            if user.language:
                _set_language_cookie(response, user.language)
            else:
                # "The browser's language": a cookie would pin the language chosen before.
                response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
            messages.success(request, _("Your preferences are saved."))
            return response
    else:
        form = PreferencesForm(initial={"name": user.name, "language": user.language})
    return render(request, "accounts/profile.html", {
        "form": form, "has_totp": has_totp(user), "totp_required": requires_two_factor(user),
    })


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax", httponly=True,
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the language; remember it on the account when logged in."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(_("Choose English or Norsk bokmål."))
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = "/"
    if request.user.is_authenticated:
        services.set_preferences(user=request.user, language=language)
    response = HttpResponseRedirect(next_url)
    _set_language_cookie(response, language)
    return response


NEW_KEY_SESSION = "peerwork_new_api_key"


@login_required
def api_keys(request: HttpRequest) -> HttpResponse:
    """Create and revoke personal API keys; a new key is shown once."""
    new_key = ""
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            try:
                token_id = int(request.POST.get("token", ""))
            except ValueError:
                return HttpResponseBadRequest(_("Unknown key."))
            if not services.revoke_api_token(user=request.user, token_id=token_id):
                raise Http404
            messages.success(request, _("The key is revoked."))
            return HttpResponseRedirect(reverse("api_keys"))
        name = request.POST.get("name", "").strip()
        if not name or len(name) > 100:
            messages.error(request, _("Give the key a name of at most 100 characters."))
            status = 400
        else:
            # Show the key once, after a redirect, so reloading cannot make another.
            request.session[NEW_KEY_SESSION] = services.create_api_token(
                user=_user(request), name=name).key
            return HttpResponseRedirect(reverse("api_keys"))
    else:
        new_key = request.session.pop(NEW_KEY_SESSION, "")
    return render(request, "accounts/api_keys.html", {
        "tokens": _user(request).api_tokens.all(), "new_key": new_key,
    }, status=status)
