package tsdbbackup.harness;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.HConstants;
import org.apache.hadoop.hbase.LocalHBaseCluster;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.apache.hadoop.hbase.io.compress.Compression;
import org.apache.hadoop.hbase.master.HMaster;
import org.apache.hadoop.hbase.regionserver.HRegionServer;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.hadoop.hbase.zookeeper.MiniZooKeeperCluster;
import org.apache.hadoop.metrics2.lib.DefaultMetricsSystem;

/**
 * HBase in standalone mode, as `hbase master start` runs it with hbase.cluster.distributed=false:
 * ZooKeeper, one master and one region server in this JVM. Then creates the OpenTSDB tables and
 * prints {@value #READY}. Configuration comes from the hbase-site.xml first on the classpath.
 *
 * Arguments: table specs "name=family1,family2", e.g. "tsdb-source-uid=id,name". Tables are
 * created with compression NONE, one version, no TTL. Exits with status 1 on any failure.
 */
public final class HBaseStandalone {
  static final String READY = "HARNESS-HBASE-READY";
  static final String FAILED = "HARNESS-HBASE-FAILED";

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable t) {
      System.out.println(FAILED + " " + t);
      t.printStackTrace(System.out);
      System.out.flush();
      Runtime.getRuntime().halt(1);
    }
  }

  private static void run(String[] args) throws Exception {
    Configuration conf = HBaseConfiguration.create();
    DefaultMetricsSystem.setMiniClusterMode(true);

    int zkPort = conf.getInt(HConstants.ZOOKEEPER_CLIENT_PORT, 0);
    if (zkPort <= 0) throw new IllegalArgumentException(HConstants.ZOOKEEPER_CLIENT_PORT + " must be set");
    MiniZooKeeperCluster zk = new MiniZooKeeperCluster(conf);
    zk.setDefaultClientPort(zkPort);
    int started = zk.startup(new File(conf.get(HConstants.ZOOKEEPER_DATA_DIR)));
    if (started != zkPort) throw new IllegalStateException("ZooKeeper started on " + started + ", not " + zkPort);

    LocalHBaseCluster cluster = new LocalHBaseCluster(conf, 1, 1, HMaster.class, HRegionServer.class);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      cluster.shutdown();
      cluster.join();
      try {
        zk.shutdown();
      } catch (Exception ignored) {
        // exiting anyway
      }
    }, "harness-hbase-shutdown"));
    cluster.startup();

    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (true) {
      HMaster master = cluster.getActiveMaster();
      if (master != null && master.isInitialized()) break;
      if (master != null && (master.isAborted() || master.isStopped())) {
        throw new IllegalStateException("HMaster stopped during start-up");
      }
      if (System.nanoTime() > deadline) throw new IllegalStateException("HMaster not initialized after 5 minutes");
      Thread.sleep(50);
    }

    List<String> created = new ArrayList<>();
    try (Connection conn = ConnectionFactory.createConnection(conf); Admin admin = conn.getAdmin()) {
      List<Future<Void>> pending = new ArrayList<>();
      for (String spec : args) {
        String[] parts = spec.split("=", 2);
        if (parts.length != 2) throw new IllegalArgumentException("bad table spec: " + spec);
        TableName name = TableName.valueOf(parts[0]);
        if (admin.tableExists(name)) {
          created.add(parts[0] + "(existing)");
          continue;
        }
        TableDescriptorBuilder table = TableDescriptorBuilder.newBuilder(name);
        for (String family : parts[1].split(",")) {
          table.setColumnFamily(ColumnFamilyDescriptorBuilder.newBuilder(Bytes.toBytes(family))
              .setCompressionType(Compression.Algorithm.NONE)
              .setMaxVersions(1)
              .setTimeToLive(HConstants.FOREVER)
              .build());
        }
        pending.add(admin.createTableAsync(table.build()));
        created.add(parts[0]);
      }
      for (Future<Void> f : pending) f.get(5, TimeUnit.MINUTES);
      for (String spec : args) {
        TableName name = TableName.valueOf(spec.split("=", 2)[0]);
        if (!admin.isTableAvailable(name)) throw new IllegalStateException("table not available: " + name);
      }
    }
    System.out.println(READY + " tables=" + String.join(",", created));
    System.out.flush();

    cluster.join();
    System.out.println("HARNESS-HBASE-MASTER-EXITED");
  }
}
