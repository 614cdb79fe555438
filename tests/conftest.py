"""Fixtures of the cross-app tests: the apps' own personas, reused where a test spans apps."""

from balcao.contracts.tests.conftest import carla, carla_client  # noqa: F401  (fixtures)
