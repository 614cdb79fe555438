"""The back office's first page: the work waiting for the staff, each count a link to its queue.

It counts the rows of five apps, so it is composed here, above them all
(docs/architecture.md). Each count is one aggregate query, shown only to staff who may
see that model.
"""

from dataclasses import dataclass

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from balcao.contracts.models import Letter, Subscription
from balcao.payments.models import MultibancoLine, Refund
from balcao.readings.models import Reading
from balcao.service_requests.models import ServiceRequest


@dataclass(frozen=True)
class PendingWork:
    label: str
    count: int
    url: str


def _changelist(model, **filters) -> str:
    opts = model._meta
    return f"{reverse(f'admin:{opts.app_label}_{opts.model_name}_changelist')}?{urlencode(filters)}"


def pending_work(user) -> list[PendingWork]:
    """What waits for a clerk, in the order the work is usually done."""
    work = []
    if user.has_perm("contracts.view_subscription"):
        evaluating = Subscription.Status.EVALUATING
        work.append(
            PendingWork(
                _("Subscrições por avaliar"),
                Subscription.objects.filter(status=evaluating).count(),
                _changelist(Subscription, status__exact=evaluating),
            )
        )
    if user.has_perm("contracts.view_letter"):
        work.append(
            PendingWork(
                _("Cartas por imprimir"),
                Letter.objects.filter(printed_at__isnull=True).count(),
                _changelist(Letter, estado="pendente"),
            )
        )
    if user.has_perm("service_requests.view_servicerequest"):
        open_statuses = [ServiceRequest.Status.SUBMITTED, ServiceRequest.Status.IN_PROGRESS]
        counts = dict(
            ServiceRequest.objects.filter(status__in=open_statuses)
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        labels = {
            ServiceRequest.Status.SUBMITTED: _("Pedidos submetidos, por começar"),
            ServiceRequest.Status.IN_PROGRESS: _("Pedidos em resolução"),
        }
        work.extend(
            PendingWork(
                labels[status],
                counts.get(status, 0),
                _changelist(ServiceRequest, status__exact=status),
            )
            for status in open_statuses
        )
    if user.has_perm("readings.view_reading"):
        received = Reading.Status.RECEIVED
        work.append(
            PendingWork(
                _("Leituras por validar"),
                Reading.objects.filter(status=received).count(),
                _changelist(Reading, status__exact=received),
            )
        )
    if user.has_perm("payments.view_pendingmultibancoline"):
        work.append(
            PendingWork(
                _("Pagamentos por conciliar"),
                MultibancoLine.objects.filter(status=MultibancoLine.Status.QUEUED).count(),
                reverse("admin:payments_pendingmultibancoline_changelist"),
            )
        )
    if user.has_perm("payments.view_refund"):
        to_refund = Refund.Status.TO_REFUND
        work.append(
            PendingWork(
                _("Reembolsos por fazer"),
                Refund.objects.filter(status=to_refund).count(),
                _changelist(Refund, status__exact=to_refund),
            )
        )
    return work


_django_index = admin.site.index


def index_with_pending_work(request, extra_context=None):
    context = {**(extra_context or {}), "pending_work": pending_work(request.user)}
    return _django_index(request, extra_context=context)


admin.site.index = index_with_pending_work  # type: ignore[method-assign]  # on purpose
admin.site.index_template = "admin/index_with_pending_work.html"
