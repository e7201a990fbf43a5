"""What every stage and feature uses: settings, problems, worker processes
and Vietnamese text. Imports nothing else of the package."""
