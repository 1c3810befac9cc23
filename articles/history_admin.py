"""The admin's side of revisions (articles.history): every save through the form keeps one, and
the History page lists them, compares any two and restores one.

A mixin rather than django-reversion's `VersionAdmin`: its history is a change form that, when
saved, writes the old row back whole and raw (status, date and slug included, no rendering, no
`updated_at`), where a restore here keeps the address and status and saves through the model.
"""

import reversion
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from . import history

ADMIN_SAID = ("Changed", "Added", "No fields changed")


class RevisionsMixin:
    """For a ModelAdmin of a model `articles.history` registers (Article, Page)."""

    object_history_template = "admin/articles/history.html"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        if object_id:
            # Outside the edit's own block: nested blocks would merge into one revision.
            history.keep_original(self.get_object(request, unquote(object_id)), request.user)
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        reversion.set_comment(entry.get_change_message() if entry else "Added.")
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        reversion.set_comment(entry.get_change_message() if entry else "Changed.")
        return entry

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/compare/",
                wrap(self.compare_view),
                name="{}_{}_compare".format(*info),
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                wrap(require_POST(self.restore_view)),
                name="{}_{}_restore".format(*info),
            ),
            *super().get_urls(),
        ]

    def _viewable(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such object.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _context(self, request, obj, title):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "module_name": self.opts.verbose_name_plural,
            "can_restore": self.has_change_permission(request, obj),
            "change_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
            ),
            "compare_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_compare", args=[obj.pk]
            ),
        }

    def history_view(self, request, object_id, extra_context=None):
        obj = self._viewable(request, object_id)
        versions = list(history.versions_of(obj)[:200])
        rows = []
        for index, version in enumerate(versions):
            older = versions[index + 1] if index + 1 < len(versions) else None
            changed = (
                [c.label for c in history.compare(self.model, older, version)] if older else []
            )
            comment = version.revision.get_comment()
            if comment.startswith(ADMIN_SAID):
                comment = ""  # the admin's "Changed Body." says less than `changed`
            rows.append(
                {"version": version, "older": older, "changed": changed, "comment": comment}
            )
        context = {
            **self._context(request, obj, f"History of “{obj}”"),
            "rows": rows,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    def compare_view(self, request, object_id):
        obj = self._viewable(request, object_id)
        versions = history.versions_of(obj)
        try:
            old = get_object_or_404(versions, pk=int(request.GET.get("from", "")))
            new = get_object_or_404(versions, pk=int(request.GET.get("to", "")))
        except ValueError:
            raise Http404("Choose two versions to compare.") from None
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        context = {
            **self._context(request, obj, f"Changes to “{obj}”"),
            "old": old,
            "new": new,
            "changes": history.compare(self.model, old, new),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/compare.html", context)

    def restore_view(self, request, object_id, version_id):
        obj = self._viewable(request, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = get_object_or_404(history.versions_of(obj), pk=version_id)
        history.restore(obj, version, request.user)
        self.message_user(
            request,
            f"Restored the version of {history.label(version)}. Its address and status are "
            "unchanged, and nobody is mailed.",
            messages.SUCCESS,
        )
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", obj.pk)
