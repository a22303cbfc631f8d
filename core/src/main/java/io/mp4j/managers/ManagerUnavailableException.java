package io.mp4j.managers;

/**
 * A proxy's manager cannot be reached: its server process ended (shut down, killed, or its parent died), nobody
 * listens at its address, or the connection to it broke. Thrown at once by the call that finds it out, also by
 * one that was waiting for an answer when the manager went away; never a hang. Whatever the call was doing is
 * lost with the manager.
 */
public class ManagerUnavailableException extends IllegalStateException {
    /** The manager's address, as {@link #address()} returns it. */
    private final String address;

    /**
     * The manager at {@code address} cannot be reached, {@code message} says why; {@code cause} is what failed.
     *
     * @param address the manager's address
     * @param message why
     * @param cause what failed
     */
    public ManagerUnavailableException(String address, String message, Throwable cause) {
        super("the manager at " + address + " is unavailable: " + message, cause);
        this.address = address;
    }

    /**
     * The manager's address ({@code unix:/path} or {@code tcp:host:port}).
     *
     * @return the manager's address
     */
    public String address() { return address; }
}
