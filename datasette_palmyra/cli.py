import click


@click.group()
def cli():
    "datasette-palmyra: fact-consistency checks for news"
