"""csvstat: count rows and sum numeric columns of a CSV file."""
import csv
import sys

import click

from csvstat import __version__


@click.command()
@click.version_option(__version__)
@click.argument("file", type=click.File("r"), default="-")
def main(file):
    """Print the row count and the sum of each numeric column of FILE."""
    rows = list(csv.DictReader(file))
    click.echo(f"rows: {len(rows)}")
    for column in rows[0].keys() if rows else []:
        try:
            total = sum(float(r[column]) for r in rows)
        except ValueError:
            continue
        click.echo(f"{column}: {total:g}")
    sys.exit(0)
