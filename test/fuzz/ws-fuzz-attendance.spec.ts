import { fuzzGateways } from './ws-fuzz';

fuzzGateways(['attendance']);
