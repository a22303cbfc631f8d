package io.mp4j.worker;

import io.mp4j.ipc.codec.Codec;
import io.mp4j.worker.task.FunctionRef;
import io.mp4j.worker.task.InstanceRef;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a parent sends a child on its standard input, once: preparation data, then the task.
 *
 * <pre>
 *   int    magic 'MP4J', short version
 *   str    name, str identity, bool daemon, long parentPid, str parentName, str startMethod
 *   str?   contextDir, bytes authkey
 *   short  n registered classes: (str name)*                     the parent's Codec.register calls
 *   short  n Jackson modules: (str class name)*                 the parent's Codec.moduleNames()
 *   short  n system properties: (str key, str value)*          FORK snapshot, else 0
 *   short  n static fields: (str class, str field, slot value)* FORK snapshot, else 0
 *   byte   task kind: 1 function + args, 2 instance with run(), 3 a pool's worker (int n, n bytes of its settings)
 * </pre>
 * Scalars only (see {@link Codec}), so a child decodes its launch without loading Jackson unless the
 * task itself carries non-scalar values.
 */
public final class Launch {
    /** The first int of a launch message ('MP4J'). */
    public static final int MAGIC = 0x4D50344A;
    /** The protocol's version; a child refuses another. */
    public static final short VERSION = 3;
    /**
     * The task kinds: a function with its arguments, an {@code MpProcess} instance whose {@code run()} runs, or a
     * pool's worker (its settings).
     */
    public static final byte TASK_FUNCTION = 1, TASK_INSTANCE = 2, TASK_POOL_WORKER = 3;

    /** The process's name. */
    public String name;
    /** The process's identity (Python's {@code _identity}, as "1:2"). */
    public String identity;
    /** Whether the process is a daemon. */
    public boolean daemon;
    /** The parent's pid. */
    public long parentPid;
    /** The parent's name. */
    public String parentName;
    /** The start method's Python name. */
    public String startMethod;
    /** The context's private directory, or null. */
    public String contextDir;
    /** The context's authentication key. */
    public byte[] authkey = new byte[0];
    /** Classes the parent registered with {@link Codec#register}: registered in the child as it reads this. */
    public List<String> registered = List.of();
    /** The Jackson modules the parent uses ({@link Codec#moduleNames}): the child uses them too. */
    public List<String> modules = List.of();
    /** The FORK snapshot's system properties (empty otherwise). */
    public Map<String, String> systemProperties = new LinkedHashMap<>();
    /** The FORK snapshot's static fields (empty otherwise). */
    public List<StaticValue> statics = new ArrayList<>();

    /** The target function, or null for an instance. */
    public FunctionRef function;
    /** The function's arguments. */
    public Object[] args;
    /** The instance whose {@code run()} runs, or null for a function. */
    public InstanceRef instance;
    /** A pool's worker: the settings its pool gave it ({@code io.mp4j.worker.pool.WorkerSettings}). */
    public byte[] poolWorker;

    /** An empty launch, filled in field by field (by the parent, or by {@link #read}). */
    public Launch() {}

    /**
     * A static field's value in the parent's snapshot.
     *
     * @param className the class that declares the field
     * @param fieldName the field
     * @param value its value
     * @param type its declared type
     */
    public record StaticValue(String className, String fieldName, Object value, java.lang.reflect.Type type) {}

    /**
     * Writes this launch (the format in the class comment).
     *
     * @param out where it goes
     * @throws IOException when {@code out} fails, or a value cannot travel
     */
    public void write(DataOutput out) throws IOException {
        out.writeInt(MAGIC);
        out.writeShort(VERSION);
        Codec.writeString(out, name);
        Codec.writeString(out, identity);
        out.writeBoolean(daemon);
        out.writeLong(parentPid);
        Codec.writeString(out, parentName);
        Codec.writeString(out, startMethod);
        Codec.writeNullableString(out, contextDir);
        out.writeInt(authkey.length);
        out.write(authkey);
        out.writeShort(registered.size());
        for (String r : registered) Codec.writeString(out, r);
        out.writeShort(modules.size());
        for (String m : modules) Codec.writeString(out, m);
        out.writeShort(systemProperties.size());
        for (var e : systemProperties.entrySet()) {
            Codec.writeString(out, e.getKey());
            Codec.writeString(out, e.getValue());
        }
        out.writeShort(statics.size());
        for (StaticValue s : statics) {
            Codec.writeString(out, s.className());
            Codec.writeString(out, s.fieldName());
            Codec.writeSlot(out, s.value(), s.type());
        }
        if (poolWorker != null) {
            out.writeByte(TASK_POOL_WORKER);
            out.writeInt(poolWorker.length);
            out.write(poolWorker);
        } else if (function != null) {
            out.writeByte(TASK_FUNCTION);
            function.write(out);
            function.writeArgs(out, args);
        } else {
            out.writeByte(TASK_INSTANCE);
            instance.write(out);
        }
    }

    /**
     * Reads a launch written by {@link #write}.
     *
     * @param in where it comes from
     * @param loader the class loader to find the task's classes with
     * @return the launch
     * @throws IOException for another magic number or version, or when {@code in} fails
     */
    public static Launch read(DataInput in, ClassLoader loader) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) throw new IOException("not a launch message: magic=" + Integer.toHexString(magic));
        short version = in.readShort();
        if (version != VERSION) throw new IOException("launch version not compatible: expected=" + VERSION + " found=" + version);
        Launch l = new Launch();
        l.name = Codec.readString(in);
        l.identity = Codec.readString(in);
        l.daemon = in.readBoolean();
        l.parentPid = in.readLong();
        l.parentName = Codec.readString(in);
        l.startMethod = Codec.readString(in);
        l.contextDir = Codec.readString(in);
        l.authkey = new byte[in.readInt()];
        in.readFully(l.authkey);
        int nr = in.readShort();
        List<String> registered = new ArrayList<>(nr);
        for (int i = 0; i < nr; i++) registered.add(Codec.readString(in));
        l.registered = registered;
        int nm = in.readShort();
        List<String> modules = new ArrayList<>(nm);
        for (int i = 0; i < nm; i++) modules.add(Codec.readString(in));
        l.modules = modules;
        // before anything below is decoded: a static field's or an argument's value may need them
        Codec.registerNamed(registered, loader);
        if (!modules.isEmpty()) Codec.useModules(modules);
        int np = in.readShort();
        for (int i = 0; i < np; i++) l.systemProperties.put(Codec.readString(in), Codec.readString(in));
        int ns = in.readShort();
        for (int i = 0; i < ns; i++) {
            String cls = Codec.readString(in);
            String field = Codec.readString(in);
            java.lang.reflect.Type type = Object.class;
            try {
                type = Class.forName(cls, false, loader).getDeclaredField(field).getGenericType();
            } catch (ReflectiveOperationException e) {
                // decoded as its natural type; applying it later reports the problem
            }
            l.statics.add(new StaticValue(cls, field, Codec.readSlot(in, type, loader), type));
        }
        byte kind = in.readByte();
        if (kind == TASK_FUNCTION) {
            l.function = FunctionRef.read(in, loader);
            l.args = l.function.readArgs(in, loader);
        } else if (kind == TASK_INSTANCE) {
            l.instance = InstanceRef.read(in, loader);
        } else if (kind == TASK_POOL_WORKER) {
            l.poolWorker = new byte[in.readInt()];
            in.readFully(l.poolWorker);
        } else {
            throw new IOException("unknown task kind " + kind);
        }
        return l;
    }
}
