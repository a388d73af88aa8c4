"""Factories for the contract ledgers (reference data comes from the real fixtures)."""

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from apps.contracts.models import Contract, ContractReport, Fair, RateTarget
from apps.reference.models import Organization


def _org(name: str) -> Organization:
    return Organization.objects.resolve(name)


class FairFactory(DjangoModelFactory):
    class Meta:
        model = Fair
        django_get_or_create = ("short_name",)

    name = factory.Sequence(lambda n: f"测试洽谈会{n}")
    short_name = factory.Sequence(lambda n: f"测试会{n}")
    coordinating_unit = factory.LazyFunction(lambda: _org("省经济和信息化委"))
    first_period = dt.date(2017, 8, 1)


class RateTargetFactory(DjangoModelFactory):
    class Meta:
        model = RateTarget

    fair = factory.SubFactory(FairFactory)
    due_on = dt.date(2017, 12, 31)
    fulfillment = Decimal("0.70")
    start = Decimal("0.50")
    funding = Decimal("0.15")


class ContractFactory(DjangoModelFactory):
    class Meta:
        model = Contract

    fair = factory.SubFactory(FairFactory)
    seq = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"测试签约项目{n}")
    party_a = factory.LazyFunction(lambda: ["大通县政府"])
    party_b = factory.LazyFunction(lambda: ["某某有限公司"])
    total_investment = Decimal("10.0000")
    funding_source_places = factory.LazyFunction(lambda: ["北京"])
    responsible_leader = "张三"
    responsible_persons = factory.LazyFunction(lambda: ["李四"])
    responsible_unit = factory.LazyFunction(lambda: _org("西宁市政府"))
    responsible_unit_label = factory.LazyAttribute(lambda o: o.responsible_unit.name)


class ContractReportFactory(DjangoModelFactory):
    class Meta:
        model = ContractReport

    contract = factory.SubFactory(ContractFactory)
    period = dt.date(2017, 10, 1)
    is_performing = True
    is_started = False
    funds_arrived_to_date = Decimal(0)
