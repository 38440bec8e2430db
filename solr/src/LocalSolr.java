import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Runs a standalone Solr 9 node on 127.0.0.1 for local development and CI.
 *
 * <p>JettySolrRunner is the same embedded Jetty + SolrDispatchFilter that Solr's
 * own test-suite uses; cores are discovered from core.properties files under the
 * Solr home, exactly as in a packaged Solr install.
 *
 * <p>Usage: java LocalSolr SOLR_HOME PORT
 */
public final class LocalSolr {
  private LocalSolr() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: LocalSolr SOLR_HOME PORT");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    if (!Files.isRegularFile(home.resolve("solr.xml"))) {
      System.err.println("no solr.xml in " + home);
      System.exit(2);
    }
    JettyConfig config =
        JettyConfig.builder()
            .setPort(port)
            .setContext("/solr")
            .useOnlyHttp1(true)
            .stopAtShutdown(true)
            .build();
    JettySolrRunner solr = new JettySolrRunner(home.toString(), new Properties(), config);
    try {
      solr.start();
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    }
    // A broken solr.xml or core config leaves Jetty up but Solr dead: fail loudly.
    if (solr.getCoreContainer() == null || solr.getCoreContainer().isShutDown()) {
      System.err.println("Solr failed to start; see the errors above");
      System.exit(1);
    }
    System.out.println("Solr " + org.apache.solr.client.api.util.SolrVersion.LATEST + " listening on " + solr.getBaseUrl());
    // Keep the JVM alive; SIGTERM runs Jetty's shutdown hook (stopAtShutdown).
    new CountDownLatch(1).await();
  }
}
