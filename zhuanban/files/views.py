"""Attachment pages: upload on the task-force page (managers), download for whoever sees the task force."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhuanban.core import uploads
from zhuanban.core.errors import DomainError, NotFound
from zhuanban.core.labels import DEFAULT_LABEL, SecurityLabel
from zhuanban.web.views.common import load_taskforce

from . import queries, services
from .models import Attachment


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=Attachment.Kind.choices, initial=Attachment.Kind.ESTABLISHMENT)
    file = forms.FileField(label="文件")
    security_label = forms.ChoiceField(label="安全标签", choices=SecurityLabel.choices, initial=DEFAULT_LABEL,
                                       required=False)


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    tf, _ = load_taskforce(request, pk, manage=True)
    back = reverse("tf_detail", args=[tf.pk]) + "#attachments"
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件和类别")
        return redirect(back)
    try:
        att = services.upload_attachment(request.user, tf, form.cleaned_data["file"], kind=form.cleaned_data["kind"],
                                          security_label=form.cleaned_data["security_label"] or DEFAULT_LABEL)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已上传附件“{att.original_name}”")
    return redirect(back)


@login_required
@require_GET
def download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    try:
        att = queries.get_visible_attachment(request.user, attachment_id)
    except NotFound:
        raise Http404 from None
    response = uploads.download_response(att.stored_name, att.original_name, att.content_type)
    services.record_download(request.user, att)
    return response
