"""Use cases: one class per action, each with a frozen command or query in and a result out.

A use case is the only thing an entry point calls. It opens a unit of work, asks the domain,
commits, and then publishes what happened on the message bus.
"""
