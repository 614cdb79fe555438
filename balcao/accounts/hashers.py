"""The password hasher: Argon2id at OWASP's recommended minimum (issue 14).

Django's default Argon2 cost (100 MiB, t=2, p=8) took 100-210 ms per login on two cores, so
two workers managed about five logins a second. OWASP's Password Storage Cheat Sheet gives
m = 19 MiB, t = 2, p = 1 as the minimum for Argon2id: about 20 ms. Hashes made with other
parameters are upgraded at the next successful login (Django's must_update).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idOwaspHasher(Argon2PasswordHasher):
    # The algorithm's name stays "argon2": hashes made by Django's hasher verify here, and
    # must_update compares the parameters.
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
