from click.testing import CliRunner

from csvstat.cli import main


def test_counts_rows():
    result = CliRunner().invoke(main, input="a,b\n1,2\n3,4\n")
    assert "rows: 2" in result.output
