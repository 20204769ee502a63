/** `portableCompression` keeps the engine contract (the shared suite), with no case skipped. */
import { portableCompression } from '../../src/transport/portable-compression.js';
import { describeCompressionEngine } from './compression-suite.js';

describeCompressionEngine('portableCompression', portableCompression);
