/** `nodeCompression` keeps the engine contract: the shared suite of spec/transport/compression-suite.ts. */
import { nodeCompression } from '../../../src/transport/node/zlib.js';
import { describeCompressionEngine } from '../compression-suite.js';

describeCompressionEngine('nodeCompression', nodeCompression);
