package io.imagegate;

import io.imagegate.auth.ApiKey;
import io.imagegate.auth.JdbcKeyStore;
import io.imagegate.config.ConfigException;
import io.imagegate.config.ConfigLoader;
import io.imagegate.provider.ProviderRegistry;
import io.imagegate.config.GatewayConfig;
import io.imagegate.config.Settings;
import io.imagegate.store.DatabaseUrl;
import io.imagegate.provider.local.LocalProvider;
import io.imagegate.engine.ModelRouter;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;
import java.util.Arrays;
import java.util.List;

/**
 * Command line: {@code imagegate} (or {@code serve}) starts the gateway; {@code keys create|list|revoke}
 * manage API keys in the store the settings point at.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    try {
      String command = args.length == 0 ? "serve" : args[0];
      switch (command) {
        case "serve" -> serve(ConfigLoader.load(System.getenv(), ProviderRegistry.CATALOG), out);
        case "keys" -> System.exit(keys(ConfigLoader.load(System.getenv(), ProviderRegistry.CATALOG).settings(),
            Arrays.copyOfRange(args, 1, args.length), out));
        case "help", "--help", "-h" -> usage(out);
        default -> {
          System.err.println("imagegate: unknown command '" + command + "'");
          usage(System.err);
          System.exit(2);
        }
      }
    } catch (ConfigException | IllegalArgumentException | IllegalStateException e) {
      System.err.println("imagegate: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Where keys, the ledger and the counters live, without any password. */
  static String storeLine(Settings settings) {
    String counters = settings.redisUrl() == null ? "limits and budgets in this process"
        : "limits and budgets in Redis " + DatabaseUrl.hostAndPath(settings.redisUrl());
    return DatabaseUrl.describe(DatabaseUrl.toJdbc(settings.jdbcUrl())) + "; " + counters;
  }

  private static void serve(GatewayConfig config, PrintStream out) {
    Settings settings = config.settings();
    Gateway gateway = new Gateway(config);
    String adminSecret = gateway.ensureAdminKey();
    gateway.start();
    Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "imagegate-shutdown"));
    drainOnSignals(gateway, Duration.ofSeconds(settings.drainSeconds()));
    out.println("imagegate listening on http://" + settings.host() + ":" + gateway.port()
        + (config.source() == null ? " (no config file)" : " (config " + config.source() + ")"));
    out.println("store: " + storeLine(settings));
    out.println("traces: " + settings.traces().describe());
    out.println("routes:");
    List<String> local = new java.util.ArrayList<>();
    for (ModelRouter.Route route : gateway.router().routes().values()) {
      out.println("  " + route.id() + " -> " + ModelRouter.describe(route));
      if (route.provider().name().equals(LocalProvider.NAME)) local.add(route.id());
    }
    if (!local.isEmpty()) {
      out.println("The local engine (imagegate-local) answers " + String.join(", ", local)
          + " with pictures it draws itself; they are not GPT-Image-2's. Set OPENAI_API_KEY or IMAGEGATE_CONFIG"
          + " to route to a real upstream.");
    }
    out.println("Every answer names who drew it in the x-imagegate-provider header.");
    if (adminSecret != null) {
      out.println();
      out.println("Admin key, shown this once (only its hash is stored): " + adminSecret);
      out.println("Use it as 'Authorization: Bearer <key>', or make more keys with ./imagegate keys create --name NAME");
    } else if (settings.masterKey() == null) {
      out.println("Keys: use a key from './imagegate keys create --name NAME', or set IMAGEGATE_MASTER_KEY.");
    }
    out.flush();
  }

  /**
   * SIGTERM (or SIGINT) drains: new calls are refused and {@code /ready} answers 503, the listening socket
   * closes, the calls in flight get up to the grace period to finish, then the process exits. A second signal
   * exits at once.
   */
  private static void drainOnSignals(Gateway gateway, Duration grace) {
    AtomicBoolean stopping = new AtomicBoolean();
    SignalHandler handler = signal -> {
      if (!stopping.compareAndSet(false, true)) {
        System.err.println("imagegate: SIG" + signal.getName() + " again: exiting now");
        Runtime.getRuntime().halt(1);
      }
      Thread drain = new Thread(() -> {
        System.err.println("imagegate: SIG" + signal.getName() + ": taking no new calls; " + gateway.inFlight()
            + " in flight get up to " + grace.toSeconds() + " s to finish (signal again to exit now)");
        boolean all = gateway.drain(grace);
        System.err.println(all ? "imagegate: every call finished; exiting"
            : "imagegate: " + gateway.inFlight() + " calls still in flight after the grace period; exiting");
        // Closing (the HTTP server, the ledger's last writes, the pools) gets 5 s; then the process ends anyway.
        Thread.ofPlatform().daemon().name("imagegate-exit-watchdog").start(() -> {
          try {
            Thread.sleep(5000);
          } catch (InterruptedException e) {
            return;
          }
          System.err.println("imagegate: closing took over 5 s; exiting now");
          Runtime.getRuntime().halt(1);
        });
        System.exit(0);
      }, "imagegate-drain");
      drain.start();
    };
    for (String name : List.of("TERM", "INT")) {
      try {
        Signal.handle(new Signal(name), handler);
      } catch (IllegalArgumentException unavailable) {
        // this platform has no such signal (or the JVM reserved it): the shutdown hook still closes cleanly
      }
    }
  }

  static int keys(Settings settings, String[] args, PrintStream out) {
    if (args.length == 0) {
      usage(System.err);
      return 2;
    }
    try (var db = io.imagegate.store.Database.open(settings.jdbcUrl())) {
      JdbcKeyStore keys = new JdbcKeyStore(db.dataSource());
      switch (args[0]) {
        case "create" -> {
          String name = option(args, "--name");
          if (name == null || name.isBlank()) {
            System.err.println("imagegate keys create: --name NAME is required");
            return 2;
          }
          String models = option(args, "--models");
          List<String> allowed = models == null ? List.of()
              : Arrays.stream(models.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
          JdbcKeyStore.Created created = keys.create(name, allowed, Arrays.asList(args).contains("--admin"));
          out.println(created.secret());
          System.err.println("key " + created.key().id() + " created; the secret above is shown only this once.");
          return 0;
        }
        case "list" -> {
          out.printf("%-22s %-20s %-10s %-6s %-8s %s%n", "ID", "NAME", "PREFIX", "ADMIN", "STATUS", "MODELS");
          for (ApiKey key : keys.list()) {
            out.printf("%-22s %-20s %-10s %-6s %-8s %s%n", key.id(), key.name(), key.prefix() + "…", key.admin(),
                key.revoked() ? "revoked" : "active", key.models().isEmpty() ? "*" : String.join(",", key.models()));
          }
          return 0;
        }
        case "revoke" -> {
          if (args.length < 2) {
            System.err.println("imagegate keys revoke: give the key's ID (see keys list)");
            return 2;
          }
          if (!keys.revoke(args[1])) {
            System.err.println("imagegate keys revoke: no active key with ID " + args[1]);
            return 1;
          }
          out.println("revoked " + args[1]);
          return 0;
        }
        default -> {
          usage(System.err);
          return 2;
        }
      }
    }
  }

  private static String option(String[] args, String name) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) return args[i + 1];
      if (args[i].startsWith(name + "=")) return args[i].substring(name.length() + 1);
    }
    String last = args[args.length - 1];
    return last.startsWith(name + "=") ? last.substring(name.length() + 1) : null;
  }

  private static void usage(PrintStream out) {
    out.println("""
        usage: imagegate [serve]                       start the gateway
               imagegate keys create --name NAME [--models m1,m2] [--admin]
               imagegate keys list
               imagegate keys revoke ID
        settings come from IMAGEGATE_HOST, IMAGEGATE_PORT, IMAGEGATE_DATA_DIR, IMAGEGATE_MASTER_KEY, ... (README)""");
  }
}
