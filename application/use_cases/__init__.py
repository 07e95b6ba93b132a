"""Use cases: one class per action, each with a frozen command or query in and a result out.

A use case is the only thing an entry point calls. It opens a unit of work, asks the domain,
records in the unit of work the events its changes mean, and commits; the unit of work hands
those events to the message bus (no use case publishes). The refresh use cases drive the
pipeline of `application.refresh`.
"""
