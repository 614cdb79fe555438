"""Reaching a request from a portal user: only their own; anything else answers 404."""

from django.shortcuts import get_object_or_404

from balcao.service_requests.models import RequestAttachment, ServiceRequest
from balcao.service_requests.selectors import requests_for_user


def get_request_for_user(user, number: int) -> ServiceRequest:
    """The user's request with this number, or 404 (missing and not-yours look the same)."""
    return get_object_or_404(
        requests_for_user(user)
        .select_related("contract__installation__address", "new_address", "invoice")
        .prefetch_related("attachments"),
        number=number,
    )


def can_see_every_request(user) -> bool:
    """Customer-service staff read every request (and its attachments) in the back office."""
    return (
        user.is_active and user.is_staff and user.has_perm("service_requests.view_servicerequest")
    )


def get_attachment_for_user(user, number: int, token) -> RequestAttachment:
    """An attachment for its owner or for staff; 404 for everyone else."""
    attachments = RequestAttachment.objects.select_related("request").filter(
        token=token, request__number=number
    )
    if not can_see_every_request(user):
        attachments = attachments.filter(request__user=user)
    return get_object_or_404(attachments)
