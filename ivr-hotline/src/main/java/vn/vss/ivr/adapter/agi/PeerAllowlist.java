package vn.vss.ivr.adapter.agi;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses allowed to speak FastAGI to us. FastAGI has no authentication, so anyone else who
 * reaches the port is refused before a single command is sent.
 */
public final class PeerAllowlist {
    private record Block(byte[] network, int prefixBits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int fullBytes = prefixBits / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int restBits = prefixBits % 8;
            if (restBits == 0) {
                return true;
            }
            int mask = (0xFF << (8 - restBits)) & 0xFF;
            return (address[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }

    private final List<Block> blocks;
    private final String description;

    private PeerAllowlist(List<Block> blocks, String description) {
        this.blocks = List.copyOf(blocks);
        this.description = description;
    }

    /**
     * Parses a comma-separated list of IP addresses and CIDR blocks, e.g. {@code 127.0.0.1,::1,172.28.0.0/24}.
     * Host names are refused: the list must not depend on DNS.
     *
     * @throws IllegalArgumentException naming the entry that is not an address or block
     */
    public static PeerAllowlist parse(String list) {
        List<Block> blocks = new ArrayList<>();
        for (String raw : list.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            String[] parts = entry.split("/", -1);
            if (parts.length > 2 || !parts[0].matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block");
            }
            byte[] network;
            try {
                network = InetAddress.getByName(parts[0]).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block");
            }
            int maxBits = network.length * 8;
            int prefix = maxBits;
            if (parts.length == 2) {
                try {
                    prefix = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > maxBits) {
                    throw new IllegalArgumentException("'" + entry + "' has a prefix length outside 0-" + maxBits);
                }
            }
            blocks.add(new Block(network, prefix));
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("the list names no address");
        }
        return new PeerAllowlist(blocks, list.trim());
    }

    public boolean allows(InetAddress peer) {
        byte[] address = peer.getAddress();
        for (Block block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return description;
    }
}
