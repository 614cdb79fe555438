"""Payments' writes: every change of money and of its documents goes through here."""
