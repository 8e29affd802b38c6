"""Developer tools: set-up, build, serve, test and benchmark Lorekeeper (`./lk <command>`)."""
