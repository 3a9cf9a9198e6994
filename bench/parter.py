"""Made-up identity numbers for the seeded parties, valid by their check digits (never a real person's: the
birth years and sequence numbers are drawn at random)."""

import random


def fnr(rng: random.Random) -> str:
    """An 11-digit national identity number with valid check digits (mod 11)."""
    while True:
        dag, mnd, aar = rng.randint(1, 28), rng.randint(1, 12), rng.randint(40, 99)
        sifre = [int(c) for c in f"{dag:02d}{mnd:02d}{aar:02d}{rng.randint(0, 499):03d}"]
        k1 = 11 - sum(s * v for s, v in zip(sifre, (3, 7, 6, 1, 8, 9, 4, 5, 2), strict=True)) % 11
        k1 = 0 if k1 == 11 else k1
        if k1 == 10:
            continue
        sifre.append(k1)
        k2 = 11 - sum(s * v for s, v in zip(sifre, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
        k2 = 0 if k2 == 11 else k2
        if k2 == 10:
            continue
        return "".join(map(str, sifre + [k2]))


def orgnr(rng: random.Random) -> str:
    while True:
        sifre = [9] + [rng.randint(0, 9) for _ in range(7)]
        k = 11 - sum(s * v for s, v in zip(sifre, (3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
        k = 0 if k == 11 else k
        if k != 10:
            return "".join(map(str, sifre + [k]))
