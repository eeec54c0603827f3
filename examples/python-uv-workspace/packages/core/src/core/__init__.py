"""Billing rules shared by every service."""


def total(amounts: list[int], tax_percent: int = 20) -> int:
    subtotal = sum(amounts)
    return subtotal + subtotal * tax_percent // 100
